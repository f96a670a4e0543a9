import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAgentDefinitions } from "../../src/config/agent-definitions.ts";
import { loadSettings, SettingsError } from "../../src/settings.ts";
import { testPrivateKey } from "../helpers/keys.ts";

/**
 * JULES_AGENTS: the shipped definitions (agents.example.json and the README's)
 * validate against the schema (the tools themselves cannot run here: no
 * network), and every kind of mistake is a start-up problem naming the entry
 * and the field.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const EXAMPLE = join(ROOT, "agents.example.json");
const HOST = { ANTHROPIC_API_KEY: "sk-ant-example-0123456789abcdef", OPENAI_API_KEY: "sk-example-0123456789abcdef", MY_AGENT_API_KEY: "my-agent-key-0123456789" };

const one = (definition: Record<string, unknown>, env: Record<string, string> = {}) => parseAgentDefinitions(JSON.stringify([{ name: "demo", ...definition }]), env);

describe("JULES_AGENTS definitions", () => {
  it("accepts the shipped examples: Claude Code, Codex CLI, aider and a generic agent", () => {
    const { agents, problems } = parseAgentDefinitions(readFileSync(EXAMPLE, "utf8"), HOST);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      agents.map((a) => [a.name, a.reports, a.phases]),
      [
        ["claude-code", "claude-json", ["plan", "execute"]],
        ["codex", "codex-jsonl", ["plan", "execute"]],
        ["aider", "aider", ["plan", "execute"]],
        ["my-agent", "outbox", ["plan", "execute"]],
      ],
    );
    const claude = agents[0]!;
    assert.equal(claude.command.plan?.[0], "claude");
    assert.ok(claude.command.plan?.includes("-p") && claude.command.plan.includes("plan"), "claude plans headless in its plan mode");
    assert.deepEqual(claude.secretEnv, { ANTHROPIC_API_KEY: HOST.ANTHROPIC_API_KEY });
    assert.deepEqual(claude.network, ["api.anthropic.com:443"]);
    assert.equal(claude.stdin, "prompt_file");
    assert.deepEqual(agents[1]!.command.execute?.slice(0, 2), ["codex", "exec"]);
    assert.deepEqual(agents[1]!.secretEnv, { OPENAI_API_KEY: HOST.OPENAI_API_KEY, CODEX_API_KEY: HOST.OPENAI_API_KEY });
    const aider = agents[2]!.command.execute ?? [];
    for (const flag of ["--message-file", "--yes-always", "--no-git"]) assert.ok(aider.includes(flag), flag);
    assert.deepEqual(agents[3]!.env, { MY_AGENT_LOG_LEVEL: "info" });
  });

  it("accepts the definitions the README shows", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Agent backends"), readme.indexOf("### File channel (version 1)"));
    const blocks = [...section.matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) => m[1] as string);
    assert.ok(blocks.length > 0, "the README's Agent backends section shows a definition");
    for (const block of blocks) assert.deepEqual(parseAgentDefinitions(block, HOST).problems, [], block);
  });

  it("takes an object from name to definition, and non-secret host variables as shown values", () => {
    const { agents, problems } = parseAgentDefinitions(
      JSON.stringify({ mine: { command: ["run-agent", "{inbox}"], env: { REGION: { from: "HOST_REGION", secret: false }, TOKEN: { from: "HOST_TOKEN" } } } }),
      { HOST_REGION: "eu", HOST_TOKEN: "token-0123456789" },
    );
    assert.deepEqual(problems, []);
    assert.equal(agents[0]?.name, "mine");
    assert.deepEqual(agents[0]?.env, { REGION: "eu" });
    assert.deepEqual(agents[0]?.secretEnv, { TOKEN: "token-0123456789" }, "a host variable is a secret unless marked otherwise");
    assert.deepEqual(agents[0]?.command, { plan: ["run-agent", "{inbox}"], execute: ["run-agent", "{inbox}"] });
  });

  it("names the entry and the field of every mistake", () => {
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'JULES_AGENTS: agent "demo": command: Invalid input'],
      [{ command: [] }, 'JULES_AGENTS: agent "demo": command: needs at least the program to run'],
      [{ command: ["a", "{secret}"] }, 'JULES_AGENTS: agent "demo": command.1: unknown placeholder {secret}'],
      [{ command: ["a"], env: { HOME: "/root" } }, 'JULES_AGENTS: agent "demo": env.HOME: is set by the sandbox itself'],
      [{ command: ["a"], env: { KEY: { from: "NOT_SET_ANYWHERE" } } }, 'JULES_AGENTS: agent "demo": env.KEY.from: the host environment variable NOT_SET_ANYWHERE is not set'],
      [{ command: ["a"], network: ["api.example.com:99999"] }, 'JULES_AGENTS: agent "demo": network.0: "api.example.com:99999" is not a host or host:port'],
      [{ command: ["a"], phases: ["plan", "plan"] }, 'JULES_AGENTS: agent "demo": phases: lists a phase twice'],
      [{ command: { plan: ["a"] } }, 'JULES_AGENTS: agent "demo": command.execute: the agent does the execute phase but has no command for it'],
      [{ command: { plan: ["a"], execute: ["b"] }, phases: ["execute"] }, 'JULES_AGENTS: agent "demo": command.plan: a command for a phase not listed in phases'],
      [{ command: ["a", "--model", "{model}"] }, 'JULES_AGENTS: agent "demo": model: the command uses {model}, so the definition needs a default model'],
      [{ command: ["a"], reports: "xml" }, 'JULES_AGENTS: agent "demo": reports: Invalid option'],
      [{ command: ["a"], timeout_seconds: 0 }, 'JULES_AGENTS: agent "demo": timeout_seconds: Too small'],
      [{ command: ["a"], stdin: "/etc/passwd" }, 'JULES_AGENTS: agent "demo": stdin: Invalid option'],
      [{ command: ["a"], colour: "blue" }, 'JULES_AGENTS: agent "demo": Unrecognized key: "colour"'],
      [{ name: "builtin", command: ["a"] }, 'JULES_AGENTS: agent "builtin": name: "builtin" is OpenJules\'s own agent'],
      [{ name: "Claude Code", command: ["a"] }, 'JULES_AGENTS: agent "Claude Code": name: lower-case letters, digits and dashes'],
    ];
    for (const [definition, expected] of cases) {
      const { agents, problems } = one(definition);
      assert.equal(agents.length, 0, JSON.stringify(definition));
      assert.ok(
        problems.some((p) => p.startsWith(expected)),
        `${JSON.stringify(definition)}: expected a problem starting with ${expected}, got ${problems.join(" | ")}`,
      );
    }
  });

  it("refuses text that is not a list or map of definitions, a name used twice, and entries without a name", () => {
    assert.match(parseAgentDefinitions("[{", {}).problems[0] ?? "", /^JULES_AGENTS is not valid JSON/);
    assert.match(parseAgentDefinitions('"claude"', {}).problems[0] ?? "", /must be a list of agent definitions/);
    assert.deepEqual(
      parseAgentDefinitions(
        JSON.stringify([
          { name: "a", command: ["x"] },
          { name: "a", command: ["y"] },
        ]),
        {},
      ).problems,
      ['JULES_AGENTS: agent "a": defined twice'],
    );
    assert.deepEqual(parseAgentDefinitions(JSON.stringify([{ command: ["x"] }]), {}).problems, [
      "JULES_AGENTS: entry 1: name: every agent needs a name (lower-case letters, digits and dashes)",
    ]);
    assert.match(parseAgentDefinitions(JSON.stringify({ "Bad Name": { command: ["x"] } }), {}).problems[0] ?? "", /"Bad Name": not an agent name/);
  });

  it("is read at start-up from JSON text or a file; its keys join the secret list, and a mistake stops the start", () => {
    const base = { APP_ID: "1", PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET: "s3cret" };
    const dir = mkdtempSync(join(tmpdir(), "jules-agents-"));
    const file = join(dir, "agents.json");
    writeFileSync(file, readFileSync(EXAMPLE, "utf8"));
    const fromFile = loadSettings({ ...base, ...HOST, JULES_AGENTS: file });
    assert.deepEqual(
      fromFile.agent.external?.map((a) => a.name),
      ["claude-code", "codex", "aider", "my-agent"],
    );
    assert.ok(fromFile.secrets.includes(HOST.MY_AGENT_API_KEY), "an agent's key is one of the process's secrets (redacted everywhere)");
    const inline = loadSettings({ ...base, JULES_AGENTS: JSON.stringify([{ name: "x", command: ["x"], env: { K: { from: "HOST_K" } } }]), HOST_K: "inline-secret-0123456789" });
    assert.ok(inline.secrets.includes("inline-secret-0123456789"));
    assert.deepEqual(loadSettings(base).agent.external, []);
    try {
      loadSettings({ ...base, JULES_AGENTS: join(dir, "missing.json") });
      assert.fail("expected a SettingsError");
    } catch (error) {
      assert.ok(error instanceof SettingsError);
      assert.match(error.problems.join(), /JULES_AGENTS names the file .*missing\.json, which cannot be read \(ENOENT\)/);
    }
    assert.throws(
      () => loadSettings({ ...base, JULES_AGENTS: file }),
      /JULES_AGENTS: agent "claude-code": env\.ANTHROPIC_API_KEY\.from: the host environment variable ANTHROPIC_API_KEY is not set/,
    );
  });
});
