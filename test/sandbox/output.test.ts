import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { OutputCapture } from "../../src/sandbox/output-capture.ts";
import { cleanOutput, trimOutput } from "../../src/sandbox/trim-output.ts";

describe("sandbox: output capture", () => {
  it("keeps everything under the limit", () => {
    const c = new OutputCapture(100, 1000);
    c.push(Buffer.from("hello "));
    c.push(Buffer.from("world"));
    assert.equal(c.text(), "hello world");
    assert.equal(c.truncated, false);
  });

  it("keeps the first quarter and the last three quarters, and reports the flood", () => {
    const c = new OutputCapture(40, 100);
    let ok = true;
    for (let i = 0; i < 20; i++) ok = c.push(Buffer.from(String(i % 10).repeat(10)));
    assert.equal(ok, false);
    assert.equal(c.totalBytes, 200);
    assert.equal(c.truncated, true);
    assert.equal(c.text(), `0000000000\n… [160 bytes of output omitted] …\n${"7".repeat(10)}${"8".repeat(10)}${"9".repeat(10)}`);
  });
});

describe("sandbox: trimming test output for the agent", () => {
  it("removes colour codes and progress redraws", () => {
    assert.equal(cleanOutput("\x1b[31mFAIL\x1b[0m a.test.js\n10%\r50%\r100%\n"), "FAIL a.test.js\n100%\n");
  });

  it("returns short output unchanged (after cleaning)", () => {
    assert.equal(trimOutput("ok 1\nok 2\n", 100), "ok 1\nok 2");
  });

  it("keeps failure blocks and the summary within the budget", () => {
    const lines = [
      ...Array.from({ length: 300 }, (_, i) => `PASS src/ok${i}.test.js`),
      "FAIL src/broken.test.js",
      "  ● adds numbers",
      "    expect(received).toBe(expected)",
      "    Expected: 3",
      "    Received: 4",
      ...Array.from({ length: 300 }, (_, i) => `PASS src/more${i}.test.js`),
      "Tests: 1 failed, 600 passed, 601 total",
    ];
    const trimmed = trimOutput(lines.join("\n"), 2000);
    assert.ok(trimmed.length <= 2000, String(trimmed.length));
    assert.match(trimmed, /FAIL src\/broken\.test\.js\n  ● adds numbers\n    expect\(received\)\.toBe\(expected\)\n    Expected: 3\n    Received: 4/);
    assert.match(trimmed, /Tests: 1 failed, 600 passed, 601 total$/);
    assert.match(trimmed, /^… \(\d+ lines omitted\) …$/m);
    assert.doesNotMatch(trimmed, /PASS src\/ok0\.test\.js/);
  });

  it("never exceeds the budget, even for one huge line", () => {
    const trimmed = trimOutput("x".repeat(50_000), 1000);
    assert.ok(trimmed.length <= 1000);
  });
});

describe("sandbox: cleaning terminal output for people", () => {
  it("removes every kind of escape sequence, not only colours", () => {
    const raw = [
      "\x1b[1;31mFAIL\x1b[0m \x1b[2msrc/a.test.js\x1b[22m", // SGR
      "\x1b[?25lhidden cursor\x1b[?25h", // private-mode CSI
      "\x1b]0;npm test\x07title set", // OSC window title, BEL-terminated
      "\x1b]8;;https://example.com/docs\x1b\\a link\x1b]8;;\x1b\\", // OSC 8 hyperlink, ST-terminated
      "\x1bP1$r0m\x1b\\after DCS", // DCS string
      "\x1b(Bcharset\x1b)0", // charset designations
      "\x1b7saved\x1b8 \x1bM\x1b=keypad", // two-character escapes
      "\x9b31m8-bit CSI\x9b0m", // C1 CSI
      "\x1b[2K\x1b[1Gerased line", // erase and cursor moves
      "bell\x07 and NUL\x00 gone",
    ].join("\n");
    assert.equal(
      cleanOutput(raw),
      ["FAIL src/a.test.js", "hidden cursor", "title set", "a link", "after DCS", "charset", "saved keypad", "8-bit CSI", "erased line", "bell and NUL gone"].join("\n"),
    );
  });

  it("collapses carriage-return progress bars and spinners to the last redraw, and applies backspaces", () => {
    const raw = "npm WARN deprecated\r\n[          ] 0%\r[#####     ] 50%\r[##########] 100%\r\nadded 12 packages\n|\b/\b-\b\\\bdone\nEND\r";
    assert.equal(cleanOutput(raw), "npm WARN deprecated\n[##########] 100%\nadded 12 packages\ndone\nEND");
  });

  it("leaves an escape the output was cut in the middle of without its payload", () => {
    assert.equal(cleanOutput("ok\n\x1b]0;a title that never ends"), "ok\n");
    assert.equal(cleanOutput("\x1b]0;unterminated\x1b[31mred\x1b[0m"), "red");
  });
});
