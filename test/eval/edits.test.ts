import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { countOf, editBetween, solvingCalls, wrongCalls } from "../../eval/edits.ts";

/** What the scripted models send: edits that apply exactly once and make the reference change, or a change that changes nothing. */

const apply = (text: string, edit: { old_string: string; new_string: string }) => {
  assert.equal(countOf(text, edit.old_string), 1, `old_string must occur once: ${JSON.stringify(edit.old_string)}`);
  return text.replace(edit.old_string, () => edit.new_string);
};

describe("editBetween", () => {
  it("replaces only the changed lines when they are unique", () => {
    const before = "a\nb\nc\nd\n";
    const after = "a\nB\nc\nd\n";
    assert.deepEqual(editBetween(before, after), { old_string: "b\n", new_string: "B\n" });
  });

  it("widens to the surrounding lines until the old text occurs once", () => {
    const before = "x\n}\ny\n}\nz\n";
    const after = "x\n}\ny\n  return;\n}\nz\n";
    const edit = editBetween(before, after);
    assert.equal(apply(before, edit), after);
    assert.ok(edit.old_string.length > 0);
  });

  it("handles insertions, deletions, a change at either end and a file without a final newline", () => {
    const cases: [string, string][] = [
      ["one\ntwo\n", "zero\none\ntwo\n"],
      ["one\ntwo\nthree\n", "one\nthree\n"],
      ["one\ntwo", "one\ntwo\nthree"],
      ["same\nsame\nsame\n", "same\nsame\nsame\nsame\n"],
      ["only", "changed"],
    ];
    for (const [before, after] of cases) assert.equal(apply(before, editBetween(before, after)), after, JSON.stringify([before, after]));
  });
});

describe("the scripted changes", () => {
  const edited = { path: "src/a.js", before: "let x = 1;\nexport { x };\n", after: "let x = 2;\nexport { x };\n" };
  const files = [edited, { path: "src/new.js", before: null, after: "new\n" }, { path: "old.txt", before: "gone\n", after: null }];

  it("solve: edit_file for a changed file, write_file for a new one, a kept rm for a deleted one", () => {
    assert.deepEqual(solvingCalls(files), [
      { name: "edit_file", input: { path: "src/a.js", old_string: "let x = 1;\n", new_string: "let x = 2;\n" } },
      { name: "write_file", input: { path: "src/new.js", content: "new\n" } },
      { name: "run", input: { command: "rm -f -- old.txt", keep: true } },
    ]);
  });

  it("wrong: a blank line where the reference edits an existing file, nothing else", () => {
    const calls = wrongCalls(files);
    assert.deepEqual(calls, [{ name: "edit_file", input: { path: "src/a.js", old_string: "let x = 1;\n", new_string: "let x = 1;\n\n" } }]);
    assert.equal(apply(edited.before, calls[0]!.input as never), "let x = 1;\n\nexport { x };\n");
  });
});
