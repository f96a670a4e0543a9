/**
 * The secret patterns OpenJules knows: provider tokens with a recognisable
 * shape (GitHub, OpenAI, Anthropic, AWS, Slack, npm, GitLab, Google, Stripe),
 * private key blocks, and credentials in context (an `Authorization` header,
 * `user:password@` in a URL, an AWS secret key assigned to a variable). Each
 * pattern names a rule (reported instead of the value), the capture group that
 * holds the secret itself (so redaction keeps `Authorization: Bearer ` and
 * hides only the token), and an optional check that rejects documentation
 * examples and placeholders. Order matters: when matches overlap, the earlier
 * rule names the finding.
 */

export interface SecretPattern {
  /** Stable rule id shown in findings and redaction markers, e.g. `github-token`. */
  rule: string;
  description: string;
  /** Must carry the `g` and `d` flags (all matches, with capture indices). */
  regex: RegExp;
  /** Capture group holding the secret; 0 (the whole match) when absent. */
  group?: number;
  /** Extra check on the secret text; false means "not a secret" (an example, a placeholder). */
  validate?: (secret: string) => boolean;
}

const hasClasses = (s: string): boolean => /[0-9]/.test(s) && /[a-z]/.test(s) && /[A-Z]/.test(s);
const notExample = (s: string): boolean => !/EXAMPLE/i.test(s);
const PLACEHOLDER = /^(?:[$<{%*[]|x+$|\.+$|(?:password|passwd|pass|pwd|secret|token|changeme|redacted|username|user|example)$)/i;

/** Base64 run of a PEM body, allowing line breaks, `\n` escapes, diff `+` prefixes and string quotes between lines. */
const PEM_SEPARATOR = String.raw`(?:\\n|\s|[+"',])`;
const PEM = new RegExp(
  String.raw`-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----` +
    String.raw`(?:${PEM_SEPARATOR}*[A-Za-z-]+: [^\n]*)*` +
    String.raw`${PEM_SEPARATOR}*[A-Za-z0-9+/=]{32,}(?:${PEM_SEPARATOR}+[A-Za-z0-9+/=]+)*` +
    String.raw`(?:${PEM_SEPARATOR}*-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----)?`,
  "gd",
);

export const SECRET_PATTERNS: readonly SecretPattern[] = [
  { rule: "private-key", description: "PEM private key block", regex: PEM },
  { rule: "github-token", description: "GitHub token (ghp_, gho_, ghu_, ghs_, ghr_)", regex: /\bgh[pousr]_[A-Za-z0-9]{36,251}\b/dg },
  { rule: "github-fine-grained-token", description: "GitHub fine-grained personal access token", regex: /\bgithub_pat_[A-Za-z0-9_]{36,251}\b/dg },
  { rule: "anthropic-key", description: "Anthropic API key", regex: /\bsk-ant-[A-Za-z0-9_-]{32,}/dg },
  {
    rule: "openai-key",
    description: "OpenAI API key (sk-, sk-proj-, sk-svcacct-, sk-admin-)",
    regex: /\bsk-(?!ant-)(?:proj-|svcacct-|admin-)?([A-Za-z0-9_-]{32,})/dg,
    validate: (s) => hasClasses(s.replace(/^sk-(?:proj-|svcacct-|admin-)?/, "")),
  },
  { rule: "aws-access-key-id", description: "AWS access key id", regex: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/dg, validate: notExample },
  {
    rule: "aws-secret-access-key",
    description: "AWS secret access key assigned to a variable or setting",
    regex: /(?:aws_?secret_?access_?key|aws_?secret_?key|secret_?access_?key)["']?\s*(?::|=|=>)\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/dgi,
    group: 1,
    validate: (s) => notExample(s) && /[0-9]/.test(s) && /[A-Za-z]/.test(s),
  },
  { rule: "slack-token", description: "Slack token (xoxb-, xoxp-, ...)", regex: /\bxox[abposr]-[A-Za-z0-9-]{10,}/dg },
  { rule: "slack-webhook", description: "Slack incoming webhook URL", regex: /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]{16,}/dg },
  { rule: "npm-token", description: "npm access token", regex: /\bnpm_[A-Za-z0-9]{36}\b/dg },
  { rule: "gitlab-token", description: "GitLab personal access token", regex: /\bglpat-[A-Za-z0-9_-]{20,}/dg },
  { rule: "google-api-key", description: "Google API key", regex: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/dg },
  { rule: "stripe-key", description: "Stripe live secret or restricted key", regex: /\b(?:sk|rk)_live_[A-Za-z0-9]{24,}\b/dg },
  {
    rule: "x-access-token",
    description: "GitHub App installation token in a git URL (x-access-token:<token>@)",
    regex: /x-access-token:([^\s@/]{8,})@/dg,
    group: 1,
    validate: (s) => !PLACEHOLDER.test(s),
  },
  {
    rule: "url-credentials",
    description: "user:password@ credentials in a URL",
    regex: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:([^\s/@]{3,})@/dgi,
    group: 1,
    validate: (s) => !PLACEHOLDER.test(s),
  },
  {
    rule: "authorization-header",
    description: "Authorization header with a bearer, token or basic credential",
    regex: /\bauthorization["']?\s*[:=]\s*["']?(?:bearer|token|basic)\s+([A-Za-z0-9._~+/=-]{8,})/dgi,
    group: 1,
    validate: (s) => !PLACEHOLDER.test(s) && (/[0-9]/.test(s) || (s.length >= 24 && /[a-z]/.test(s) && /[A-Z]/.test(s))),
  },
];

/** Configured values shorter than this are ignored: they would redact ordinary words. */
export const MIN_EXTRA_SECRET_LENGTH = 8;
export const EXTRA_SECRET_RULE = "configured-secret";
