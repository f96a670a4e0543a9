import assert from "node:assert/strict";
import { chmod, mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { createSandboxRunner, type SandboxMode } from "../../src/sandbox/runner.ts";
import { tempDir } from "../helpers/git/workspace-fixture.ts";

/**
 * The runner streams a command's output as it is written (`onOutput`), in
 * both modes: before the command ends, characters never split, and past the
 * caps that only apply to the result.
 */
for (const mode of ["bubblewrap", "unsafe"] as SandboxMode[]) {
  describe(`sandbox: output streamed as the command runs (${mode})`, { timeout: 60_000 }, () => {
    let base: string;
    let ws: string;
    const runner = createSandboxRunner({ mode, limits: { memoryBytes: 1024 ** 3, processes: 64 }, outputKeepBytes: 1024, logger: { warn: () => undefined } });

    beforeAll(async () => {
      base = await tempDir("openjules-stream-");
      await chmod(base, 0o711);
      ws = join(base, "task");
      await mkdir(join(ws, ".git"), { recursive: true });
    });
    afterAll(async () => {
      await rm(base, { recursive: true, force: true });
    });

    it("tells each piece while the command runs, whole characters, stdout and stderr", async () => {
      const seen: { text: string; at: number }[] = [];
      // The euro sign's three bytes are written in two parts, a moment apart.
      const command = "printf 'first\\n'; sleep 0.5; printf '\\342\\202'; sleep 0.2; printf '\\254 last\\n'; echo err >&2";
      const started = Date.now();
      const result = await runner.run(command, { cwd: ws, timeoutMs: 20_000, onOutput: (text) => void seen.push({ text, at: Date.now() }) });
      const ended = Date.now();
      assert.equal(result.exitCode, 0);
      assert.equal(seen.map((s) => s.text).join(""), result.output);
      assert.equal(result.output, "first\n€ last\nerr\n");
      assert.ok(seen[0]!.text.startsWith("first") && seen[0]!.at < ended - 400, `the first line came ${seen[0]!.at - started} ms in, the command took ${ended - started} ms`);
      assert.ok(!seen.some((s) => s.text.includes("\ufffd")), "no character split");
    });

    it("streams past the output the result keeps", async () => {
      let streamed = "";
      const result = await runner.run("seq 1 2000", { cwd: ws, timeoutMs: 20_000, onOutput: (text) => void (streamed += text) });
      const all = Array.from({ length: 2000 }, (_, i) => `${i + 1}\n`).join("");
      assert.equal(streamed, all);
      assert.ok(result.output.length < all.length && result.output.includes("bytes of output omitted"));
    });
  });
}
