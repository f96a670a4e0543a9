/**
 * Secrets at rest (a signed-in user's GitHub token, a user's provider key):
 * AES-256-GCM with the 32-byte key settings.web.secretKey, a fresh random
 * 12-byte IV for every seal, as text `v1.<iv>.<tag>.<ciphertext>` (each part
 * base64url). `open` answers null for anything it cannot authenticate (a
 * tampered value, another key, another format), never throws: a value the
 * server cannot open is as good as absent.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

export function seal(plaintext: string, key: Buffer): string {
  if (key.length !== KEY_BYTES) throw new Error(`the sealing key must be ${KEY_BYTES} bytes, got ${key.length}`);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ciphertext].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

/** The plaintext, or null when `sealed` was not sealed with this key (or was changed since). */
export function open(sealed: string, key: Buffer): string | null {
  const parts = sealed.split(".");
  if (parts.length !== 4 || parts[0] !== VERSION || key.length !== KEY_BYTES) return null;
  const [iv, tag, ciphertext] = parts.slice(1).map((p) => Buffer.from(p, "base64url")) as [Buffer, Buffer, Buffer];
  // Only the canonical spelling of each part: any other text is a changed value, even where it decodes alike.
  if (![iv, tag, ciphertext].every((bytes, i) => bytes.toString("base64url") === parts[i + 1])) return null;
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
