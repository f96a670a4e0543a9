/**
 * The baseline of the acknowledgement benchmark, run as its own process by
 * bench/webhook-ack.ts: a plain Probot app whose `issue_comment.created`
 * handler does its work inline, before the webhook is answered, the way most
 * Probot apps are written. The inline work is the cheapest start a command
 * needs: (1) read the commenter's permission, (2) add the 👀 reaction; two
 * awaited Octokit calls to the local GitHub stand-in (bench/local-github.ts),
 * which answers each after a fixed delay (100 ms in the benchmark). Real
 * inline work (loading config, cloning, asking a model) would take far
 * longer, so the measured ratio is a lower bound. Probot's throttling and
 * retry plugins are off, as in OpenJules, so only the inline work is measured.
 * With INLINE_WORK=none the handler returns at once: the floor of Probot's
 * own webhook handling (HTTP, signature, parsing, logging) on this machine.
 *
 * Settings come from the environment: APP_ID, PRIVATE_KEY, WEBHOOK_SECRET,
 * PORT, GHE_HOST (host:port of the stand-in, reached over http), INLINE_WORK
 * (`github`, the default, or `none`).
 */
import { pino } from "pino";
import { Probot, ProbotOctokit, Server } from "probot";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`ack-baseline needs ${name} in its environment`);
  return value;
};

const log = pino({ name: "baseline", level: process.env.LOG_LEVEL ?? "info" });
const Octokit = ProbotOctokit.defaults((options: Record<string, any>) => ({
  ...options,
  throttle: { ...options.throttle, enabled: false },
  retry: { ...options.retry, enabled: false },
}));
const ProbotClass = Probot.defaults({
  appId: Number(env("APP_ID")),
  privateKey: env("PRIVATE_KEY"),
  secret: env("WEBHOOK_SECRET"),
  baseUrl: `http://${env("GHE_HOST")}/api/v3`,
  log: log as never,
  Octokit,
});

const WRITERS = ["admin", "maintain", "write"];
const inline = process.env.INLINE_WORK ?? "github";
if (inline !== "github" && inline !== "none") throw new Error(`INLINE_WORK must be github or none, got ${inline}`);

const server = new Server({ Probot: ProbotClass, host: "127.0.0.1", port: Number(env("PORT")), log: log as never });
await server.load((app: Probot) => {
  app.on("issue_comment.created", async (context) => {
    const { comment } = context.payload;
    if (inline === "none" || !comment.user || !/^\/jules\b/im.test(comment.body)) return;
    const { data } = await context.octokit.rest.repos.getCollaboratorPermissionLevel(context.repo({ username: comment.user.login }));
    if (!WRITERS.includes(data.role_name)) return;
    await context.octokit.rest.reactions.createForIssueComment(context.repo({ comment_id: comment.id, content: "eyes" as const }));
  });
});
await server.start();
log.info("baseline is running");

process.once("SIGTERM", () => {
  void server.stop().then(() => process.exit(0));
});
