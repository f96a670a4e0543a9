import { MIN_EXTRA_SECRET_LENGTH } from "./secret-patterns.ts";

/**
 * The process's own secrets, as one list built once from the settings: the
 * webhook secret, the provider API keys, the task API's token and the GitHub
 * App's private key in every form it may be written in (the PEM, trimmed, with
 * `\n` escapes, base64-encoded as PRIVATE_KEY may be given, and each line of
 * its body, since a partial key is still a leak and no pattern knows a lone
 * line). Redaction (logs, transcripts, test output), the outbound scan of
 * everything posted to GitHub and the push scan all use this list. Pure.
 */

export interface SecretSources {
  webhookSecret: string;
  privateKey: string;
  apiKeys: readonly (string | undefined)[];
  apiToken: string | undefined;
}

/** A base64 body line shorter than this (the last line of a key) is left to the other forms. */
const MIN_KEY_LINE = 16;

export function secretValues(sources: SecretSources): string[] {
  const values = [sources.webhookSecret, ...sources.apiKeys, sources.apiToken, ...privateKeyForms(sources.privateKey)];
  const kept = values.filter((v): v is string => typeof v === "string" && v.length >= MIN_EXTRA_SECRET_LENGTH);
  return [...new Set(kept)];
}

function privateKeyForms(pem: string): string[] {
  if (!pem.trim()) return [];
  const trimmed = pem.trim();
  const lines = trimmed.split(/\r?\n/).map((l) => l.trim());
  const body = lines.filter((l) => !l.startsWith("-----") && !/^[A-Za-z-]+: /.test(l) && l.length >= MIN_KEY_LINE);
  return [
    pem,
    trimmed,
    trimmed.replace(/\r?\n/g, "\\n"),
    Buffer.from(pem).toString("base64"),
    Buffer.from(trimmed).toString("base64"),
    Buffer.from(`${trimmed}\n`).toString("base64"),
    lines.filter((l) => !l.startsWith("-----")).join(""),
    ...body,
  ];
}
