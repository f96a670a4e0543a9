/** A throwaway RSA key in the PKCS#1 PEM form GitHub hands out, made once per test process. */
import { generateKeyPairSync } from "node:crypto";

let key: string | null = null;
export function testPrivateKey(): string {
  key ??= generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } }).privateKey;
  return key;
}
