import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { describe, it } from "vitest";
import { pino } from "pino";
import { REDACT_PATHS } from "../../src/log.ts";
import { taskLogBindings } from "../../src/ops/log-context.ts";

describe("taskLogBindings", () => {
  it("puts task id, repository and issue on every line of a child logger, with secrets still redacted", () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const log = pino({ redact: { paths: REDACT_PATHS, censor: "[redacted]" } }, sink);
    const child = log.child(taskLogBindings({ id: "t-1", owner: "Codertocat", repo: "Hello-World", issueNumber: 7 }));
    child.info({ token: "ghs_secret" }, "pushed");
    child.warn("slow");
    assert.equal(lines.length, 2);
    for (const line of lines) assert.deepEqual([line.taskId, line.repo, line.issue], ["t-1", "Codertocat/Hello-World", 7]);
    assert.equal(lines[0]!.token, "[redacted]");
  });
});
