/**
 * The spoken summary of a finished task: the server's audio when it made one
 * (a same-origin address only), else the browser's speech synthesis behind a
 * Play button; the text is always shown beside.
 */
import { useEffect, useState } from "react";
import type { SpokenSummary } from "../types.ts";
import { Button } from "./ui.tsx";

/** The audio address when it is one of this server's (the CSP allows media from 'self' only). */
export const sameOriginPath = (url: string | null): string | null => (url && url.startsWith("/") && !url.startsWith("//") ? url : null);

export function SummaryPlayer({ summary }: { summary: SpokenSummary }) {
  const audio = sameOriginPath(summary.audioUrl);
  const synth = typeof window !== "undefined" && "speechSynthesis" in window ? window.speechSynthesis : null;
  const [speaking, setSpeaking] = useState(false);
  useEffect(() => () => synth?.cancel(), [synth]);
  const play = () => {
    if (!synth) return;
    if (speaking) {
      synth.cancel();
      setSpeaking(false);
      return;
    }
    const utterance = new SpeechSynthesisUtterance(summary.text);
    utterance.onend = () => setSpeaking(false);
    utterance.onerror = () => setSpeaking(false);
    synth.cancel();
    synth.speak(utterance);
    setSpeaking(true);
  };
  return (
    <div className="grid gap-3 sm:grid-cols-[max-content_1fr] sm:items-start">
      <div>
        {audio ? (
          // biome-ignore lint/a11y/useMediaCaption: the transcript is the text shown beside the player
          <audio controls preload="none" src={audio} aria-label="Spoken summary" />
        ) : synth ? (
          <Button variant="primary" onClick={play} aria-pressed={speaking}>
            {speaking ? "Stop" : "Play summary"}
          </Button>
        ) : (
          <p className="text-slate-700">This browser cannot read the summary aloud.</p>
        )}
      </div>
      <p className="whitespace-pre-wrap" id="summary-text">
        {summary.text}
      </p>
    </div>
  );
}
