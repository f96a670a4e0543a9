import assert from "node:assert/strict";
import { mkdir, rm, symlink } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "vitest";
import { buildContextBlock } from "../../../src/agent/context/prompt-context.ts";
import { loadInstructions } from "../../../src/agent/context/instructions.ts";
import { buildRepoMap } from "../../../src/agent/context/repo-map.ts";
import { walkRepository } from "../../../src/agent/context/walk.ts";
import { AgentError } from "../../../src/agent/port.ts";
import { defaultRepoConfig } from "../../../src/config/repo-config.ts";
import { makeTempDir, writeFiles } from "../../helpers/context-repo.ts";
import { makeCharDevice, makeFifo, peakRssMib, releaseFifos } from "../../helpers/special-files.ts";
import { within } from "../../helpers/within.ts";

/**
 * A repository (or code run in its sandbox) puts special files where the
 * agent's context reads: FIFOs, links to /dev/zero, character devices. The
 * context must be built promptly, without them and without ballooning memory.
 */

const SETTLE_MS = 3_000;
const MAX_GROWTH_MIB = 200;

describe("agent context with special files in the working copy", () => {
  let dir = "";
  let remove = async () => {};
  const fifos: string[] = [];

  beforeEach(async () => {
    ({ dir, remove } = await makeTempDir());
    await writeFiles(dir, { "src/index.ts": "export function main(): void {}\n", "README.md": "# app\n" });
  });
  afterEach(async () => {
    await releaseFifos(fifos.splice(0));
    await remove();
  });
  const fifo = async (path: string) => {
    await mkdir(join(dir, path, ".."), { recursive: true });
    await makeFifo(join(dir, path));
    fifos.push(join(dir, path));
  };

  it("loadInstructions skips an AGENTS.md that is a FIFO and takes the next file", async () => {
    await fifo("AGENTS.md");
    await writeFiles(dir, { "CLAUDE.md": "Use tabs.\n" });
    const found = await within(SETTLE_MS, loadInstructions(dir, defaultRepoConfig()), "loadInstructions with a FIFO AGENTS.md");
    assert.deepEqual(found, { path: "CLAUDE.md", text: "Use tabs." });
  });

  it("loadInstructions refuses a configured instructions file that is a FIFO, naming it", async () => {
    await fifo("docs/agents.md");
    const pending = loadInstructions(dir, { ...defaultRepoConfig(), instructions: "docs/agents.md" });
    const error = await within(
      SETTLE_MS,
      pending.then(
        () => null,
        (e: unknown) => e,
      ),
      "loadInstructions with a FIFO instructions file",
    );
    assert.ok(error instanceof AgentError, `expected an AgentError, got ${String(error)}`);
    assert.match(error.message, /docs\/agents\.md is not a regular file \(a FIFO\)/);
  });

  it("the first prompt is built promptly when AGENTS.md is a FIFO", async () => {
    await fifo("AGENTS.md");
    const thread = { title: "Fix main", body: "", comments: [] };
    const block = await within(SETTLE_MS, buildContextBlock({ dir, config: defaultRepoConfig(), thread, instruction: "" }), "buildContextBlock");
    assert.match(block, /src\/index\.ts/);
    assert.doesNotMatch(block, /Repository instructions/);
  });

  it("walk and repository map ignore a .gitignore that is a FIFO or links to /dev/zero, with flat memory", async () => {
    for (const make of [() => fifo(".gitignore"), () => symlink("/dev/zero", join(dir, ".gitignore"))]) {
      await rm(join(dir, ".gitignore"), { force: true });
      await make();
      await fifo("pkg/.gitignore").catch(() => undefined);
      const peak = peakRssMib();
      const walk = await within(SETTLE_MS, walkRepository(dir), "walkRepository");
      assert.deepEqual(
        walk.files.filter((f) => !f.endsWith(".gitignore")),
        ["README.md", "src/index.ts"],
      );
      const map = await within(SETTLE_MS, buildRepoMap(dir, 2000), "buildRepoMap");
      assert.match(map, /src\/index\.ts\n {2}export function main\(\): void/);
      assert.ok(peakRssMib() - peak < MAX_GROWTH_MIB, `memory grew by ${Math.round(peakRssMib() - peak)} MiB`);
    }
  });

  it("walk ignores a .git/info/exclude that is a FIFO", async () => {
    await fifo(".git/info/exclude");
    const walk = await within(SETTLE_MS, walkRepository(dir), "walkRepository with a FIFO exclude file");
    assert.deepEqual(walk.files, ["README.md", "src/index.ts"]);
  });

  it("a character device in place of a source file or AGENTS.md is neither listed nor read", async ({ skip }) => {
    if (!(await makeCharDevice(join(dir, "src", "zero.ts"), 1, 5))) return skip("mknod is not permitted on this host");
    await makeCharDevice(join(dir, "AGENTS.md"), 1, 5);
    const peak = peakRssMib();
    const map = await within(SETTLE_MS, buildRepoMap(dir, 2000), "buildRepoMap with a device");
    assert.doesNotMatch(map, /zero\.ts/);
    assert.equal(await within(SETTLE_MS, loadInstructions(dir, defaultRepoConfig()), "loadInstructions with a device"), null);
    await assert.rejects(loadInstructions(dir, { ...defaultRepoConfig(), instructions: "AGENTS.md" }), /AGENTS\.md is not a regular file \(a character device\)/);
    assert.ok(peakRssMib() - peak < MAX_GROWTH_MIB, `memory grew by ${Math.round(peakRssMib() - peak)} MiB`);
  });
});
