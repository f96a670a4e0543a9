/**
 * Webhook deliveries over real HTTP, the way GitHub sends them: a JSON body,
 * `x-github-event`, `x-github-delivery`, and `x-hub-signature-256` holding
 * "sha256=" + the HMAC-SHA256 (hex) of the raw body keyed with the webhook
 * secret. Used by the end-to-end tests and the acknowledgement benchmark;
 * options let a test send a wrong or missing signature on purpose.
 */
import { createHmac, randomUUID } from "node:crypto";

export interface Delivery {
  /** The event name (`issue_comment`, `issues`, ...). */
  name: string;
  payload: unknown;
  /** The delivery id; a fresh UUID when absent (GitHub's form). */
  id?: string;
  /** Key of the signature. */
  secret: string;
  /** Overrides the computed signature; null sends no signature header at all. */
  signature?: string | null;
  /** Sends this text instead of the JSON of `payload` (while signing the JSON): a body tampered in transit. */
  tamperedBody?: string;
}

export interface DeliveryAnswer {
  status: number;
  text: string;
  /** Milliseconds from sending the request to the end of the answer's body. */
  ms: number;
}

/** GitHub's `x-hub-signature-256` value for a raw body. */
export function signature256(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

/** The request GitHub would send for `delivery`: the raw body and its headers. */
export function signedRequest(delivery: Delivery): { body: string; headers: Record<string, string> } {
  const json = JSON.stringify(delivery.payload);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "GitHub-Hookshot/e2e",
    "x-github-event": delivery.name,
    "x-github-delivery": delivery.id ?? randomUUID(),
  };
  const sig = delivery.signature === undefined ? signature256(delivery.secret, json) : delivery.signature;
  if (sig !== null) headers["x-hub-signature-256"] = sig;
  return { body: delivery.tamperedBody ?? json, headers };
}

/** POSTs one delivery to a webhook URL and reads the whole answer. */
export async function deliver(url: string, delivery: Delivery): Promise<DeliveryAnswer> {
  const { body, headers } = signedRequest(delivery);
  const started = performance.now();
  const response = await fetch(url, { method: "POST", headers, body });
  const text = await response.text();
  return { status: response.status, text, ms: performance.now() - started };
}
