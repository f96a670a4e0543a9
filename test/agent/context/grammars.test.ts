import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "vitest";
import { GRAMMARS, grammarLoadErrors, locateGrammar, parserFor } from "../../../src/agent/context/grammars.ts";
import { upgradeLegacyDylink } from "../../../src/agent/context/legacy-dylink.ts";

/** The bit of the WebAssembly API used here (the tsconfig's lib has no DOM/WebAssembly typings). */
interface WasmApi {
  Module: { new (bytes: Uint8Array): object; customSections(module: object, name: string): ArrayBuffer[] };
}
const WebAssembly = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** A module made of one custom section. */
function customSectionModule(name: string, payload: number[]): Uint8Array {
  const body = [name.length, ...ascii(name), ...payload];
  return new Uint8Array([...HEADER, 0, body.length, ...body]);
}

const SAMPLES: Record<(typeof GRAMMARS)[number], string> = {
  typescript: "export function f(a: number): string { return `${a}`; }\n",
  tsx: 'export const C = () => <div className="x">hi</div>;\n',
  javascript: "export class A { m() { return 1; } }\n",
  python: "class A:\n    def m(self):\n        return 1\n",
  go: "package main\n\nfunc main() {}\n",
  rust: "pub fn f() -> i32 { 1 }\n",
  java: "class A { void m() {} }\n",
};

describe("grammars", () => {
  it("loads every grammar from the installed package and parses without errors", async () => {
    for (const name of GRAMMARS) {
      const parser = await parserFor(name);
      assert.ok(parser, `no parser for ${name}: ${grammarLoadErrors().get(name) ?? ""}`);
      const tree = parser.parse(SAMPLES[name]);
      assert.ok(tree, name);
      assert.equal(tree.rootNode.hasError, false, `${name} parse has errors`);
      tree.delete();
    }
    assert.equal(grammarLoadErrors().size, 0);
  });

  it("hands out one parser per language for the whole process", async () => {
    assert.equal(await parserFor("python"), await parserFor("python"));
  });

  it("locates grammar files through node resolution, and reports none in unknown packages", () => {
    assert.match(locateGrammar("go") ?? "", /tree-sitter-go\.wasm$/);
    assert.equal(locateGrammar("go", ["@openjules/no-such-package"]), null);
  });
});

describe("upgradeLegacyDylink", () => {
  it("rewrites a legacy dylink section into dylink.0 with the same memory and table facts", () => {
    const legacy = customSectionModule("dylink", [0x90, 0x03, 2, 5, 0, 0]); // memory 400, align 2, table 5, align 0, no libraries
    const upgraded = upgradeLegacyDylink(legacy);
    const module = new WebAssembly.Module(upgraded);
    assert.equal(WebAssembly.Module.customSections(module, "dylink").length, 0);
    const [section] = WebAssembly.Module.customSections(module, "dylink.0");
    assert.ok(section);
    assert.deepEqual([...new Uint8Array(section)], [1, 5, 0x90, 0x03, 2, 5, 0]);
  });

  it("keeps the needed-libraries list as a subsection", () => {
    const legacy = customSectionModule(
      "dylink",
      [1, 0, 0, 0, 1, 3, ...ascii("a.so")].map((v, i) => (i === 5 ? 4 : v)),
    );
    const [section] = WebAssembly.Module.customSections(new WebAssembly.Module(upgradeLegacyDylink(legacy)), "dylink.0");
    assert.deepEqual([...new Uint8Array(section ?? new ArrayBuffer(0))], [1, 4, 1, 0, 0, 0, 2, 6, 1, 4, ...ascii("a.so")]);
  });

  it("returns modules already in the new form, or without a dylink section, unchanged", () => {
    const modern = customSectionModule("dylink.0", [1, 4, 1, 0, 0, 0]);
    assert.equal(upgradeLegacyDylink(modern), modern);
    const plain = new Uint8Array(HEADER.concat([0, 2, 1, ascii("x")[0] ?? 0]));
    assert.equal(upgradeLegacyDylink(plain), plain);
  });

  it("refuses bytes that are not WebAssembly", () => {
    assert.throws(() => upgradeLegacyDylink(new TextEncoder().encode("#!/bin/sh\necho hi\n")), /not a WebAssembly module/);
  });

  it("upgrades a real legacy grammar build into a module that compiles", async () => {
    const path = locateGrammar("python", ["tree-sitter-wasms"]);
    assert.ok(path, "tree-sitter-wasms is a dependency");
    const bytes = new Uint8Array(await readFile(path));
    const upgraded = upgradeLegacyDylink(bytes);
    const module = new WebAssembly.Module(upgraded);
    assert.equal(WebAssembly.Module.customSections(module, "dylink.0").length, 1);
  });
});
