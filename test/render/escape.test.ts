import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { block, cell, code, commandWord, indent, inline, link, mention, neutralize, openFenceAtEnd, user, ZWSP } from "../../src/render/escape.ts";
import { bestCpuMs } from "../helpers/cpu-time.ts";

describe("neutralize", () => {
  it("breaks mentions, HTML, comments and entities with a zero-width space", () => {
    assert.equal(neutralize("ping @alice and @org/team"), `ping @${ZWSP}alice and @${ZWSP}org/team`);
    assert.equal(neutralize("<img src=x> </b> <!-- openjules:plan --> <?php"), `<${ZWSP}img src=x> <${ZWSP}/b> <${ZWSP}!-- openjules:plan --> <${ZWSP}?php`);
    assert.equal(neutralize("&#64;alice &commat;bob &x40; a && b; a < b"), `&${ZWSP}#64;alice &${ZWSP}commat;bob &${ZWSP}x40; a && b; a < b`);
  });

  it("removes bidi and control characters but keeps text, tabs and line breaks", () => {
    assert.equal(neutralize("a\u202Eb\u2066c\u0000d\u0007e\tf\r\ng"), "abcde\tf\ng");
    assert.equal(neutralize("naïve 日本 🙂"), "naïve 日本 🙂");
  });

  it("is idempotent", () => {
    const once = neutralize("@a <b> &#1; <!--");
    assert.equal(neutralize(once), once);
  });
});

describe("inline, cell and code", () => {
  it("collapses line breaks and cuts long text", () => {
    assert.equal(inline("one\n\ntwo   three ", 100), "one two three");
    assert.equal(inline("abcdefghij", 5), "abcd…");
    assert.equal(inline("ab😀cd", 4), "ab…");
  });

  it("escapes pipes in table cells", () => {
    assert.equal(cell("a | b\nc", 50), "a \\| b c");
  });

  it("builds code spans that the text's own backticks cannot end", () => {
    assert.equal(code("src/a.ts"), "`src/a.ts`");
    assert.equal(code("a`b"), "``a`b``");
    assert.equal(code("`x`"), "`` `x` ``");
    assert.equal(code(""), "` `");
    assert.equal(code("@me <x>"), `\`@${ZWSP}me <${ZWSP}x>\``);
  });
});

describe("block", () => {
  it("closes a fence the text left open, so it cannot swallow what follows", () => {
    assert.equal(block("see:\n```ts\nconst a = 1;", 1000), "see:\n```ts\nconst a = 1;\n```");
    assert.equal(block("~~~~\nx\n~~~", 1000), "~~~~\nx\n~~~\n~~~~");
    assert.equal(block("```\nx\n```\ndone", 1000), "```\nx\n```\ndone");
  });

  it("trims surrounding blank lines and notes a cut", () => {
    assert.equal(block("\n\n  hello\n\n", 100), "  hello");
    assert.equal(block("x".repeat(50), 10), `${"x".repeat(9)}…\n\n_(cut to 10 characters)_`);
  });

  it("trims in linear time: 65 KB of spaces before a last character (model output the issue can steer) takes milliseconds", () => {
    const ms = bestCpuMs(() => assert.equal(block(`${" ".repeat(65_000)}x`, 70_000), `${" ".repeat(65_000)}x`), 200);
    assert.ok(ms < 200, `${ms.toFixed(0)} ms of CPU`);
  });

  it("finds open fences by CommonMark's top-level rules", () => {
    assert.equal(openFenceAtEnd("```js\ncode"), "```");
    assert.equal(openFenceAtEnd("``` a ` b\ntext"), null);
    assert.equal(openFenceAtEnd("    ```\nindented code"), null);
    assert.equal(openFenceAtEnd("````\n```\n"), "````");
  });

  it("indents non-empty lines", () => {
    assert.equal(indent("a\n\nb", "   "), "   a\n\n   b");
  });
});

describe("users, links and the command word", () => {
  it("mentions a real login and neutralises anything else", () => {
    assert.equal(mention("alice"), "@alice");
    assert.equal(mention("dependabot[bot]"), "@dependabot[bot]");
    assert.equal(mention("bad name"), `@${ZWSP}bad name`);
    assert.equal(user("alice"), `@${ZWSP}alice`);
  });

  it("links only http(s) URLs and encodes characters that would end the link", () => {
    assert.equal(link("plan", "https://github.com/a/b/issues/1#issuecomment-2"), "[plan](https://github.com/a/b/issues/1#issuecomment-2)");
    assert.equal(link("x", "https://example.com/a(b)"), "[x](https://example.com/a%28b%29)");
    assert.equal(link("x", "javascript:alert(1)"), "x");
    assert.equal(link("x", "not a url"), "x");
  });

  it("falls back to jules for an invalid command word", () => {
    assert.equal(commandWord("bot"), "bot");
    assert.equal(commandWord("`x`"), "jules");
  });
});
