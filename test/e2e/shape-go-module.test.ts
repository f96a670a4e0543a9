import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, it } from "vitest";
import { call } from "../helpers/fake-llm/script.ts";
import { goModuleProxy, serveFiles, type ServedRegistry } from "../helpers/served-modules.ts";
import { startShapeApp, type ShapeApp } from "../helpers/shape-task.ts";
import { goToolchain } from "../helpers/toolchains.ts";

/**
 * A Go module whose dependency comes from a module proxy (GOPROXY, as from a
 * company's Athens or proxy.golang.org), served by the test on this host and
 * allowlisted for setup by the operator (JULES_SETUP_ALLOW_HOSTS). Detection
 * follows the repository's CI (`go test -v -coverprofile=coverage.out ./...`)
 * with `go mod download` as setup; setup fills the module cache in the task's
 * HOME; the agent's command and the tests, which have no network at all,
 * build from it; the tests' coverage.out is not committed.
 */

const GREET = {
  "go.mod": "module example.com/greet\n\ngo 1.18\n",
  "greet.go": 'package greet\n\n// Hello greets name.\nfunc Hello(name string) string { return "Hello, " + name + "!" }\n',
};
const CI = [
  "name: Go",
  "on: [push, pull_request]",
  "jobs:",
  "  test:",
  "    runs-on: ubuntu-latest",
  "    steps:",
  "      - uses: actions/checkout@v4",
  "      - uses: actions/setup-go@v5",
  "        with:",
  "          go-version: '1.22'",
  "      - run: go vet ./...",
  "      - run: go test -v -coverprofile=coverage.out ./...",
  "",
].join("\n");

describe("repository shape: a Go module with a dependency from a module proxy (real sandbox, git and delivery)", { timeout: 600_000 }, () => {
  let registry: ServedRegistry;
  let shapes: ShapeApp;
  let goSum: string;

  beforeAll(async () => {
    const go = await goToolchain();
    const proxy = goModuleProxy("example.com/greet", "v1.0.0", GREET);
    goSum = proxy.goSum;
    registry = await serveFiles(proxy.files);
    shapes = await startShapeApp({ extraReadOnly: go.extraReadOnly, setupNetwork: { mode: "public", allowHosts: [registry.hostPort] } });
  });
  afterAll(async () => {
    await shapes?.close();
    await registry?.close();
  });

  it("setup downloads into the task's HOME, the offline tests build from it green, only the edit is committed, and the status and PR say what ran and why", async () => {
    const files = {
      "go.mod": "module github.com/codertocat/gohello\n\ngo 1.18\n\nrequire example.com/greet v1.0.0\n",
      "go.sum": goSum,
      "hello.go": 'package hello\n\nimport "example.com/greet"\n\n// Greeting is what the program prints.\nfunc Greeting() string { return greet.Hello("wrold") }\n',
      "hello_test.go":
        'package hello\n\nimport "testing"\n\nfunc TestGreeting(t *testing.T) {\n\tif got := Greeting(); got != "Hello, world!" {\n\t\tt.Fatalf("Greeting() = %q", got)\n\t}\n}\n',
      ".github/workflows/ci.yml": CI,
    };
    const outcome = await shapes.task("gohello", files, `env:\n  GOPROXY: ${registry.url}\n`, [
      // After setup, without network: the module is in the task's HOME, and the package builds from it.
      call("run", { command: "ls ~/go/pkg/mod/example.com && go env GOMODCACHE GOFLAGS && go build ./... && echo built-offline" }),
      call("edit_file", { path: "hello.go", old_string: '"wrold"', new_string: '"world"' }),
      call("finish", { summary: "Greeting now spells world." }),
    ]);

    assert.equal(outcome.task.state, "done", JSON.stringify(outcome.task.failure));
    // Setup fetched the module from the proxy (once); nothing after setup could reach it.
    assert.deepEqual(
      registry.requests.filter((p) => p.endsWith(".zip")),
      ["/example.com/greet/@v/v1.0.0.zip"],
    );
    assert.match(outcome.toolResults, /greet@v1\.0\.0/);
    assert.match(outcome.toolResults, /\/home\/sandbox\/go\/pkg\/mod\\n-modcacherw/);
    assert.match(outcome.toolResults, /built-offline/);

    // The tests ran green, as CI runs them; coverage.out, which they wrote, is not committed.
    const command = "go test -v -coverprofile=coverage.out ./...";
    assert.match(outcome.prBody, new RegExp(`✅ \`${command.replace(/[.*]/g, "\\$&")}\` passed\\.`));
    assert.match(outcome.prBody, /--- PASS: TestGreeting/);
    assert.match(outcome.prBody, /coverage: 100\.0% of statements/);
    assert.equal(outcome.check?.conclusion, "success");
    assert.deepEqual(outcome.files, [".github/workflows/ci.yml", "go.mod", "go.sum", "hello.go", "hello_test.go"]);
    assert.match(await outcome.show("hello.go"), /greet\.Hello\("world"\)/);
    assert.match(outcome.prBody, /`coverage\.out`: made by the test run/);

    // The status names the command and why it was chosen.
    const chosen = outcome.statuses.find((s) => s.includes("tests: `")) ?? outcome.statuses.join("\n---\n");
    assert.match(
      chosen,
      new RegExp(`tests: \`${command.replace(/[.*]/g, "\\$&")}\` \\(from \\.github/workflows/ci\\.yml, job test; setup \`go mod download\` \\(found go\\.mod\\)\\)`),
    );
  });
});
