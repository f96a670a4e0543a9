/**
 * Secret-shaped test values, assembled at run time so that no complete token
 * appears in the source tree (which would trip secret scanners on this very
 * repository). Deterministic: the same name gives the same value.
 */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A deterministic base62 string of `length` characters containing upper, lower and digits. */
export function randomish(length: number, seed = 7): string {
  let state = seed >>> 0 || 1;
  let out = "";
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    out += ALPHABET[(state >>> 8) % ALPHABET.length];
  }
  return `Ab1${out.slice(3)}`;
}

const join = (...parts: string[]) => parts.join("");

export const FAKE = {
  githubClassic: join("gh", "p_", randomish(36, 1)),
  githubOauth: join("gh", "o_", randomish(36, 2)),
  githubUser: join("gh", "u_", randomish(36, 3)),
  githubServer: join("gh", "s_", randomish(36, 4)),
  githubRefresh: join("gh", "r_", randomish(36, 5)),
  githubFineGrained: join("github", "_pat_", randomish(22, 6), "_", randomish(59, 7)),
  openaiLegacy: join("s", "k-", randomish(48, 8)),
  openaiProject: join("s", "k-proj-", randomish(64, 9), "_", randomish(40, 10)),
  anthropic: join("s", "k-ant-api03-", randomish(93, 11), "AA"),
  awsAccessKeyId: join("AK", "IA", randomish(16, 12).toUpperCase()),
  awsSessionKeyId: join("AS", "IA", randomish(16, 13).toUpperCase()),
  awsSecretKey: join(randomish(20, 14), "/", randomish(19, 15)),
  slackBot: join("xo", "xb-", "123456789012-1234567890123-", randomish(24, 16)),
  slackWebhook: join("https://hooks.", "slack.com/services/", "T0123ABCD/", "B0123ABCD/", randomish(24, 17)),
  npm: join("np", "m_", randomish(36, 18)),
  gitlab: join("gl", "pat-", randomish(20, 19)),
  google: join("AI", "za", randomish(35, 20)),
  stripe: join("sk", "_live_", randomish(24, 21)),
  bearer: join("eyJhbGciOiJIUzI1NiJ9.", randomish(40, 22), ".", randomish(20, 23)),
  installationToken: join("gh", "s_", randomish(36, 24)),
};

/** A PEM private key block with a 64-column base64 body. */
export function fakePrivateKey(kind = "RSA "): string {
  const body =
    randomish(64 * 8, 25)
      .match(/.{1,64}/g)
      ?.join("\n") ?? "";
  return `-----BEGIN ${kind}PRIVATE KEY-----\n${body}\n-----END ${kind}PRIVATE KEY-----`;
}
