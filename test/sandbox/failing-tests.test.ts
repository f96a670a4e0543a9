import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "vitest";
import { failingTests } from "../../src/sandbox/failing-tests.ts";
import { summarizeOutput } from "../../src/sandbox/output-summary.ts";

/**
 * What a person reads of a failing test run: the failing tests and their
 * messages for each common runner, from output in the runners' real formats
 * (node:test, pytest and cargo captured from the real tools; mocha, jest,
 * vitest and go test written in their documented formats; vitest 4's retries and
 * grouped errors captured from the real tool).
 */
const fixture = (name: string) => readFileSync(new URL(`fixtures/runner-output/${name}`, import.meta.url), "utf8");

const EXPECTED: [string, string[]][] = [
  [
    "cargo-test.txt",
    [
      "2 failing tests (cargo test):",
      "✖ tests::it_panics",
      "    config missing",
      "    at src/lib.rs:10:22",
      "✖ tests::it_adds",
      "    assertion `left == right` failed",
      "    left: 0",
      "    right: 4",
      "    at src/lib.rs:6:20",
      "",
      "test result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.16s",
    ],
  ],
  [
    "go-test-v.txt",
    [
      "2 failing tests (go test):",
      "✖ TestAdd",
      "    calc_test.go:8: Add(1, 2) = -1; want 3",
      "✖ TestParse/empty",
      "    calc_test.go:15: unexpected error: empty input",
      "",
      "FAIL\texample.com/calc\t0.002s",
    ],
  ],
  [
    "go-test.txt",
    [
      "2 failing tests (go test):",
      "✖ TestAdd",
      "    calc_test.go:8: Add(1, 2) = -1; want 3",
      "✖ TestParse/empty",
      "    calc_test.go:15: unexpected error: empty input",
      "",
      "FAIL\texample.com/calc\t0.002s",
      "ok  \texample.com/calc/util\t0.001s",
    ],
  ],
  [
    "jest.txt",
    [
      "2 failing tests (jest):",
      "✖ sum › adds negative numbers",
      "    expect(received).toBe(expected) // Object.is equality",
      "    Expected: -3",
      "    Received: -1",
      "✖ sum › handles strings",
      "    TypeError: a.trim is not a function",
      "",
      "Test Suites: 1 failed, 1 passed, 2 total",
      "Tests:       2 failed, 3 passed, 5 total",
    ],
  ],
  [
    "mocha.txt",
    [
      "2 failing tests (mocha):",
      "✖ Array #indexOf() should return -1 when the value is not present",
      "    AssertionError [ERR_ASSERTION]: 4 == -1",
      "✖ parse rejects an empty string",
      '    Error: expected parse("") to throw',
      "",
      "1 passing (9ms)",
      "2 failing",
    ],
  ],
  [
    "node-test-spec.txt",
    [
      "2 failing tests (node:test):",
      "✖ adds numbers",
      "    AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:",
      "    3 !== 4",
      "✖ throws nicely",
      "    Error: boom: config missing",
      "",
      "ℹ tests 3",
      "ℹ pass 1",
      "ℹ fail 2",
      "ℹ cancelled 0",
    ],
  ],
  [
    "node-test-tap.txt",
    [
      "2 failing tests (TAP):",
      "✖ adds numbers",
      "    Expected values to be strictly equal:",
      "    3 !== 4",
      "✖ throws nicely",
      "    boom: config missing",
      "",
      "# tests 3",
      "# pass 1",
      "# fail 2",
    ],
  ],
  [
    "pytest.txt",
    [
      "2 failing tests (pytest):",
      "✖ test_calc.py::test_add",
      "    assert -1 == 3",
      "✖ test_calc.py::TestThings::test_raises",
      "    ValueError: bad config value",
      "",
      "========================= 2 failed, 1 passed in 2.39s ==========================",
    ],
  ],
  [
    "vitest.txt",
    [
      "1 failing test (vitest):",
      "✖ src/sum.test.ts > sum > adds negative numbers",
      "    AssertionError: expected -1 to be -3 // Object.is equality",
      "",
      "Test Files  1 failed (1)",
      "Tests  1 failed | 1 passed (2)",
    ],
  ],
  [
    // vitest 4: a retried test's header once per run, and tests failing with the same error under one error.
    "vitest-retries-grouped.txt",
    [
      "4 failing tests (vitest):",
      "✖ test/smee.test.ts > smee-client > forwards to the webhook path",
      "    AssertionError: expected undefined to be defined",
      "✖ test/smee.test.ts > run > runs with a function as argument",
      "    TypeError: fetch failed: getaddrinfo ENOTFOUND smee.io",
      "✖ test/smee.test.ts > run > POST /api/github/webhooks",
      "    TypeError: fetch failed: getaddrinfo ENOTFOUND smee.io",
      "✖ test/smee.test.ts > run > adds negative numbers",
      "    AssertionError: expected -3 to be -4 // Object.is equality",
      "",
      "Test Files  1 failed (1)",
      "Tests  4 failed | 1 passed (5)",
    ],
  ],
];

describe("sandbox: the failing tests of a run, as a person reads them", () => {
  for (const [name, lines] of EXPECTED) {
    it(`${name.replace(/\.txt$/, "")}: the failing tests' names and messages, then the runner's counts`, () => {
      const summary = summarizeOutput(fixture(name));
      assert.equal(summary.text, lines.join("\n"));
      assert.equal(summary.shortened, true);
    });
  }

  it("reads coloured output the same as plain output", () => {
    const plain = fixture("jest.txt");
    const coloured = plain
      .replace(/^FAIL /m, "\x1b[0m\x1b[7m\x1b[1m\x1b[31m FAIL \x1b[39m\x1b[22m\x1b[27m\x1b[0m ".trimStart())
      .replace(/^ {2}● (.+)$/gm, "\x1b[1m\x1b[31m  \x1b[1m● \x1b[22m\x1b[1m$1\x1b[39m\x1b[22m")
      .replace(/Expected: -3/, "Expected: \x1b[32m-3\x1b[39m");
    assert.notEqual(coloured, plain);
    assert.equal(summarizeOutput(coloured).text, summarizeOutput(plain).text);
  });

  it("names the runner and leaves out suites that failed only because a subtest did (TAP)", () => {
    const found = failingTests(fixture("node-test-tap.txt"));
    assert.deepEqual(
      found?.failures.map((f) => f.name),
      ["adds numbers", "throws nicely"],
    );
  });

  it("shows the whole output when no runner is recognised and it fits, else its tail with what was left out", () => {
    const short = summarizeOutput("\x1b[31mSegmentation fault\x1b[0m\n");
    assert.deepEqual(short, { text: "Segmentation fault", shortened: false, lines: 1 });
    const long = Array.from({ length: 500 }, (_, i) => `line ${i}`).join("\n");
    const cut = summarizeOutput(long, 100);
    assert.equal(cut.text, ["… (496 earlier lines left out) …", "line 496", "line 497", "line 498", "line 499"].join("\n"));
    assert.equal(cut.shortened, true);
    assert.equal(cut.lines, 500);
  });

  it("caps the list of failures and says how many more failed", () => {
    const many = ["=========================== short test summary info ============================"];
    for (let i = 0; i < 40; i++) many.push(`FAILED tests/test_x.py::test_${i} - assert ${i} == -1`);
    many.push("========================= 40 failed in 0.50s ==========================");
    const text = summarizeOutput(many.join("\n")).text;
    assert.match(text, /^40 failing tests \(pytest\):\n✖ tests\/test_x\.py::test_0\n {4}assert 0 == -1\n/);
    assert.match(text, /\n… and 20 more failing tests\n\n=+ 40 failed in 0\.50s =+$/);
  });
});
