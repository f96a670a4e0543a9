import { FAKE, fakePrivateKey, randomish } from "./fake-secrets.ts";

/**
 * For each secret rule: texts that must be found (redacted, reported) and
 * look-alikes that must not be. Shared by the redaction and scan tests.
 */

const join = (...parts: string[]) => parts.join("");

/** Each rule with texts that must be redacted and look-alikes that must be left alone. */
export const SECRET_CASES: { rule: string; positive: string[]; negative: string[] }[] = [
  {
    rule: "github-token",
    positive: [FAKE.githubClassic, FAKE.githubOauth, FAKE.githubUser, FAKE.githubServer, FAKE.githubRefresh],
    negative: [join("gh", "p_", "short"), join("gh", "x_", randomish(36)), join("my", "ghp_", randomish(36))],
  },
  { rule: "github-fine-grained-token", positive: [FAKE.githubFineGrained], negative: [join("github", "_pat_", "tooShort")] },
  { rule: "openai-key", positive: [FAKE.openaiLegacy, FAKE.openaiProject], negative: ["sk-learn", join("s", "k-", "this-is-a-very-long-kebab-case-identifier-name")] },
  { rule: "anthropic-key", positive: [FAKE.anthropic], negative: [join("s", "k-ant-", "short")] },
  {
    rule: "aws-access-key-id",
    positive: [FAKE.awsAccessKeyId, FAKE.awsSessionKeyId],
    negative: [join("AK", "IAIOSFODNN7", "EXAMPLE"), join("AK", "IA", "lowercase0123456")],
  },
  {
    rule: "aws-secret-access-key",
    positive: [`aws_secret_access_key = ${FAKE.awsSecretKey}`, `AWS_SECRET_ACCESS_KEY: "${FAKE.awsSecretKey}"`, `"SecretAccessKey": "${FAKE.awsSecretKey}"`],
    negative: [join("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCY", "EXAMPLEKEY"), `unrelated = ${FAKE.awsSecretKey}`],
  },
  {
    rule: "private-key",
    positive: [fakePrivateKey(), fakePrivateKey("OPENSSH "), fakePrivateKey("")],
    negative: ['if (line === "-----BEGIN RSA PRIVATE KEY-----") {', "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----"],
  },
  { rule: "slack-token", positive: [FAKE.slackBot], negative: ["xoxb-", "xoxz-123456789012"] },
  { rule: "slack-webhook", positive: [FAKE.slackWebhook], negative: ["https://hooks.slack.com/services/"] },
  { rule: "npm-token", positive: [FAKE.npm], negative: [join("np", "m_", "short")] },
  { rule: "gitlab-token", positive: [FAKE.gitlab], negative: [join("gl", "pat-", "short")] },
  { rule: "google-api-key", positive: [FAKE.google], negative: [join("AI", "za", "short")] },
  { rule: "stripe-key", positive: [FAKE.stripe], negative: [join("sk", "_test_", randomish(24))] },
  {
    rule: "x-access-token",
    positive: [`https://x-access-token:v1.${"0123456789abcdef".repeat(3).slice(0, 40)}@github.com/o/r.git`, `x-access-token:${randomish(40, 30)}@ghe.example.com`],
    negative: ["https://x-access-token:<token>@github.com/o/r.git", "x-access-token:${TOKEN}@github.com"],
  },
  {
    rule: "url-credentials",
    positive: [`postgres://app:${randomish(20, 31)}@db.internal:5432/app`],
    negative: ["https://user:password@example.com", "git@github.com:owner/repo.git", "https://example.com/a:b@c"],
  },
  {
    rule: "authorization-header",
    positive: [`Authorization: Bearer ${FAKE.bearer}`, `curl -H 'authorization: token ${randomish(40, 32)}'`, `"Authorization": "Basic ${randomish(24, 33)}="`],
    negative: ["Authorization: Bearer <token>", "Authorization: Bearer $GITHUB_TOKEN", "Authorization: Bearer YOUR_TOKEN_HERE", "Authorization: Bearer placeholder"],
  },
];
