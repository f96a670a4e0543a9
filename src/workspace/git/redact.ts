/** The value of the Authorization header git sends: Basic base64(x-access-token:<token>). */
export function basicAuthHeader(token: string): string {
  return `Basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;
}

/** Replaces a token and every encoding of it we might produce with `***`. */
export function redact(text: string, tokens: readonly string[]): string {
  let out = text;
  for (const token of tokens) {
    if (token.length < 4) continue;
    const forms = [token, encodeURIComponent(token), Buffer.from(`x-access-token:${token}`).toString("base64")];
    for (const form of forms) out = out.split(form).join("***");
  }
  return out;
}
