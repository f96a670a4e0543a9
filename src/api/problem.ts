/**
 * Answers of /api/v1: JSON with `cache-control: no-store`, and every failure
 * as RFC 9457 problem details (`application/problem+json`): a stable `type`
 * (urn:openjules:problem:<code>), a short title, the status, a detail that
 * says what happened and what to do, and for refused input the fields.
 */
import type { ServerResponse } from "node:http";
import type { z } from "zod";
import { ERROR_STATUS, type UseCaseError } from "../tasks/control/port.ts";

export interface Problem {
  code: string;
  status: number;
  title: string;
  detail: string;
  errors?: { path: string; message: string }[];
  headers?: Record<string, string>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers });
  res.end(`${JSON.stringify(body)}\n`);
}

export function sendProblem(res: ServerResponse, problem: Problem): void {
  const { code, status, title, detail, errors, headers } = problem;
  res.writeHead(status, { "content-type": "application/problem+json; charset=utf-8", "cache-control": "no-store", ...headers });
  res.end(`${JSON.stringify({ type: `urn:openjules:problem:${code}`, title, status, detail, ...(errors ? { errors } : {}) })}\n`);
}

export const fromUseCase = (error: UseCaseError): Problem => ({ code: error.code, status: ERROR_STATUS[error.code], title: error.title, detail: error.detail });

export const invalid = (detail: string, errors?: Problem["errors"]): Problem => ({ code: "invalid", status: 400, title: "Invalid request", detail, ...(errors ? { errors } : {}) });

/** A zod failure as a 400 naming each refused field. */
export function fromZod(error: z.ZodError, what: string): Problem {
  const errors = error.issues.map((issue) => ({ path: issue.path.length > 0 ? issue.path.join(".") : "(body)", message: issue.message }));
  const list = errors.map((e) => `${e.path}: ${e.message}`).join("; ");
  return invalid(`The ${what} was refused (${list}); see /api/v1/openapi.json for what is accepted.`, errors);
}
