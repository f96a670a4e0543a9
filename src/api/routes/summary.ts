/**
 * A finished task's spoken summary: its text, with the address of its audio
 * when the server has a speech engine (else null, and the web app speaks the
 * text with the browser's speech synthesis), and the audio as audio/wav.
 */
import { z } from "zod";
import { answer, json, route } from "../route.ts";

export const SpokenSummarySchema = z
  .strictObject({
    text: z.string().describe("The summary as plain text (what is spoken), at most 600 characters"),
    audioUrl: z.string().nullable().describe("Where the spoken summary is (audio/wav); null when this server has no speech engine: speak the text in the browser"),
    engine: z.string().nullable().describe('The speech engine that made the audio, e.g. "espeak-ng 1.51"; null without audio'),
  })
  .meta({ id: "SpokenSummary" });

const audioPath = (id: string) => `/api/v1/tasks/${encodeURIComponent(id)}/summary/audio`;

const summary = route({
  method: "GET",
  path: "/tasks/{id}/summary",
  operationId: "taskSummary",
  summary: "A finished task's spoken summary: the text, and where its audio is",
  description: "Only for a task that ended (done, failed or cancelled): 409 before. Made once and kept with the task; made again when the task changed.",
  responses: { 200: { description: "The summary", schema: SpokenSummarySchema } },
  problems: [403, 404, 409, 503],
  handle: ({ caller, control, params }) =>
    answer(control.summary(caller, params.id!), (s) =>
      json(200, { text: s.text, audioUrl: s.audio ? audioPath(params.id!) : null, engine: s.engine } satisfies z.infer<typeof SpokenSummarySchema>),
    ),
});

const audio = route({
  method: "GET",
  path: "/tasks/{id}/summary/audio",
  operationId: "taskSummaryAudio",
  summary: "A finished task's spoken summary as a WAV file",
  description: "404 when this server has no speech engine (espeak-ng or espeak on its PATH, and JULES_TTS not off): GET the summary and speak its text instead.",
  responses: { 200: { description: "The spoken summary", other: { "audio/wav": { type: "string", contentMediaType: "audio/wav" } } } },
  problems: [403, 404, 409, 503],
  handle: ({ caller, control, params }) =>
    answer(control.summary(caller, params.id!), (s) =>
      s.audio
        ? { status: 200, bytes: s.audio, contentType: "audio/wav" }
        : {
            problem: {
              code: "not_found",
              status: 404,
              title: "No audio",
              detail: "This server has no speech engine (espeak-ng or espeak on its PATH, with JULES_TTS not off); speak the summary's text instead (GET the summary).",
            },
          },
    ),
});

export const SUMMARY_ROUTES = [summary, audio];
