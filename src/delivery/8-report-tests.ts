import { checkRunOutput } from "../render/pull-request.ts";
import type { LeftOutPath } from "../workspace/manager.ts";
import type { DeliveryInput } from "./port.ts";

/**
 * 8. The "OpenJules tests" check run on the pushed head commit: success,
 * failure, or neutral when no test command was found or the tests could not
 * run (a missing tool: the check says which and how to provide it), with the
 * verdict and the test output (cleaned and shortened by the test phase). Created already completed (the tests ran before the
 * commit existed). A retried job may add a second run with the same name on
 * the same commit; that is harmless, since GitHub shows the newest run of a
 * name, and its result is that of the retry, which is the one whose work was
 * pushed.
 */

export const CHECK_NAME = "OpenJules tests";

export async function reportTests(input: DeliveryInput, headSha: string, leftOut: readonly LeftOutPath[] = []): Promise<string> {
  const output = checkRunOutput(input.outcome.tests, leftOut);
  const run = await input.gh.createCheckRun(input.task, {
    name: CHECK_NAME,
    headSha,
    conclusion: output.conclusion,
    title: output.title,
    summary: output.summary,
    text: output.text,
    externalId: input.task.id,
  });
  input.log.info({ taskId: input.task.id, checkRun: run.id, conclusion: output.conclusion }, "reported the tests as a check run");
  return run.url;
}
