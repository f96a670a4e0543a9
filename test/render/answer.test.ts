import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { renderAnswer } from "../../src/render/answer.ts";
import { GITHUB_COMMENT_LIMIT } from "../../src/render/limits.ts";
import { ZWSP } from "../../src/render/escape.ts";
import { makeTask } from "./fixtures.ts";

describe("renderAnswer", () => {
  it("posts the answer and how to ask for a code change", () => {
    assert.equal(
      renderAnswer({ task: makeTask(), answer: "The limit is set in `config.ts`.\n\nAsk @alice for details.", command: "bot" }),
      `<!-- openjules:answer task=t_01 -->
### 💬 Answer

The limit is set in \`config.ts\`.

Ask @${ZWSP}alice for details.

---

<sub>No code change was needed, so there is no plan. To have code changed, reply \`/bot <what to do>\`.</sub>
`,
    );
  });

  it("uses the default command word, closes open fences and stays under the limit", () => {
    const body = renderAnswer({ task: makeTask(), answer: `\`\`\`\n${"x".repeat(200_000)}`, command: "jules" });
    assert.ok(body.length < GITHUB_COMMENT_LIMIT);
    assert.match(body, /…\n```\n\n_\(cut to [\d,]+ characters\)_\n\n---/);
    assert.match(body, /`\/jules <what to do>`/);
    assert.match(renderAnswer({ task: makeTask(), answer: "", command: "jules" }), /_The answer was empty\._/);
  });
});
