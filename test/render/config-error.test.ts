import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { renderConfigError } from "../../src/render/config-error.ts";
import { validateRepoConfig } from "../../src/config/load.ts";
import { ZWSP } from "../../src/render/escape.ts";

describe("renderConfigError", () => {
  it("tabulates key, problem and expected, and says how to fix the file", () => {
    const result = validateRepoConfig({ approval: "sometimes" });
    assert.ok(!result.ok);
    assert.equal(
      renderConfigError({ problems: result.problems, branch: "main" }),
      `<!-- openjules:config-error -->
### ⚠️ \`.github/jules.yml\` has a problem

I read this repository's OpenJules settings from \`.github/jules.yml\` on the default branch (\`main\`) and could not use them, so I did not act on this request.

| Key | Problem | Expected |
| --- | --- | --- |
| \`approval\` | text "sometimes" is not an allowed value | one of: \`required\`, \`auto\` |

**How to fix it:** edit \`.github/jules.yml\` on the default branch (\`main\`) so that each key above holds what is expected (or remove the key to get its default), then repeat your command. The file is read again on every command. Every key, with its meaning and default, is described in OpenJules' \`schema/jules.schema.json\`.
`,
    );
  });

  it("counts problems and keeps hostile values inside their cells", () => {
    const result = validateRepoConfig({ aproval: "x", command: "a|b <img> @team", budgets: { max_turns: "ten" } });
    assert.ok(!result.ok);
    const body = renderConfigError({ problems: result.problems });
    assert.match(body, /^### ⚠️ `\.github\/jules\.yml` has 3 problems$/m);
    assert.match(body, /on the default branch and could not use them/);
    const rows = body.split("\n").filter((line) => line.startsWith("| `"));
    assert.equal(rows.length, 3);
    for (const row of rows) assert.equal(row.split(/(?<!\\)\|/).length, 5, row);
    assert.match(body, new RegExp(`text "a\\\\\\|b <${ZWSP}img> @${ZWSP}team"`));
    assert.match(body, /\| `aproval` \| unknown key; did you mean `approval`\? \|/);
  });

  it("caps a very long list of problems", () => {
    const problems = Array.from({ length: 80 }, (_, i) => ({ key: `k${i}`, message: "unknown key", expected: "x" }));
    const body = renderConfigError({ problems, path: ".github/jules.yaml" });
    assert.match(body, /^\| … \| 30 more problems \| \|$/m);
    assert.match(body, /`\.github\/jules\.yaml` has 80 problems/);
  });
});
