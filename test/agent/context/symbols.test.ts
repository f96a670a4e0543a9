import assert from "node:assert/strict";
import { describe, it } from "vitest";
import { MAX_SIGNATURE_CHARS, MAX_SYMBOLS_PER_FILE, symbolsOf } from "../../../src/agent/context/symbols.ts";
import { grammarForPath } from "../../../src/agent/context/languages.ts";

describe("symbolsOf", () => {
  it("TypeScript: exported signatures, class and interface members, no private helpers", async () => {
    const source = [
      "import { x } from './x';",
      "const cache = new Map();",
      "function helper() {}",
      "export async function load(path: string,",
      "    options?: LoadOptions): Promise<Config> { return x; }",
      "export default class Store extends Base implements Closable { private items = []; constructor() { super(); } get(id: string) {} close() {} }",
      "export interface LoadOptions { strict: boolean; reload(): void }",
      "export type Mode = 'a' | 'b';",
      "export enum Level { Low, High }",
      "export const parse = (text: string): Config => JSON.parse(text), VERSION = 3;",
      "declare module 'cfg' {}",
      "export namespace Utils { export const z = 1; }",
    ].join("\n");
    assert.deepEqual(await symbolsOf("typescript", source), [
      "export async function load(path: string, options?: LoadOptions): Promise<Config>",
      "export default class Store extends Base implements Closable { items, constructor, get, close }",
      "export interface LoadOptions { strict, reload }",
      "export type Mode = 'a' | 'b'",
      "export enum Level",
      "export const parse = (text: string) =>",
      "export const VERSION",
      "declare module 'cfg'",
      "export namespace Utils",
    ]);
  });

  it("TypeScript without exports (a script): functions and classes, never plain variables", async () => {
    assert.deepEqual(await symbolsOf("typescript", "const a = 1;\nlet b;\nfunction main(): void {}\nclass Job { run() {} }\n"), ["function main(): void", "class Job { run }"]);
  });

  it("TSX and JavaScript", async () => {
    assert.deepEqual(await symbolsOf("tsx", "export const Button = ({ label }: Props) => <button>{label}</button>;\n"), ["export const Button = ({ label }: Props) =>"]);
    assert.deepEqual(await symbolsOf("javascript", "export function f(a, b) {}\nexport class A { m() {} }\nmodule.exports = { f };\n"), [
      "export function f(a, b)",
      "export class A { m }",
    ]);
  });

  it("Python: public functions and classes with methods, UPPER_CASE constants", async () => {
    const source =
      "import os\nMAX_SIZE = 10\n_private = 1\n\ndef load(path: str) -> dict:\n    return {}\n\ndef _hidden():\n    pass\n\n@dataclass\nclass Config(Base):\n    name: str\n    def validate(self):\n        pass\n    @property\n    def size(self):\n        return 1\n\nasync def fetch(url):\n    pass\n";
    assert.deepEqual(await symbolsOf("python", source), ["MAX_SIZE = …", "def load(path: str) -> dict", "class Config(Base) { validate, size }", "async def fetch(url)"]);
  });

  it("Go: exported functions, methods, types and values", async () => {
    const source =
      'package store\n\nimport "errors"\n\nvar ErrMissing = errors.New("missing")\nvar cache = 1\n\ntype Store struct{ items map[string]string }\n\ntype (\n\tGetter interface{ Get(id string) (string, error) }\n\tkey string\n)\n\nfunc New() *Store { return &Store{} }\n\nfunc (s *Store) Get(id string) (string, error) { return "", nil }\n\nfunc helper() {}\n';
    assert.deepEqual(await symbolsOf("go", source), [
      "var ErrMissing",
      "type Store struct",
      "type Getter interface",
      "func New() *Store",
      "func (s *Store) Get(id string) (string, error)",
    ]);
  });

  it("Rust: pub items, impls and traits with their functions", async () => {
    const source =
      "use std::fmt;\npub struct Task { id: u32 }\nstruct Hidden;\nimpl Task { pub fn new(id: u32) -> Self { Task { id } } fn secret(&self) {} }\nimpl fmt::Display for Task { fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result { Ok(()) } }\npub trait Runner { fn run(&self) -> bool; }\npub enum State { Open, Done }\npub const MAX: u32 = 3;\nfn private() {}\n";
    assert.deepEqual(await symbolsOf("rust", source), [
      "pub struct Task",
      "impl Task { new, secret }",
      "impl fmt::Display for Task { fmt }",
      "pub trait Runner { run }",
      "pub enum State",
      "pub const MAX: u32 = 3",
    ]);
  });

  it("Java: types with their methods and constructors, annotations left out", async () => {
    const source =
      'package a;\nimport java.util.List;\n@Service\npublic class TaskService extends Base { private final Repo repo; public TaskService(Repo r) {} public List<Task> all() { return null; } }\ninterface Repo { Task find(long id); }\nenum Kind { A, B; String label() { return ""; } }\nrecord Point(int x, int y) {}\n';
    assert.deepEqual(await symbolsOf("java", source), [
      "public class TaskService extends Base { TaskService, all }",
      "interface Repo { find }",
      "enum Kind { label }",
      "record Point(int x, int y)",
    ]);
  });

  it("caps the symbols of a file and the length of a signature", async () => {
    const many = Array.from({ length: 40 }, (_, i) => `export function f${i}() {}`).join("\n");
    const lines = (await symbolsOf("typescript", many)) ?? [];
    assert.equal(lines.length, MAX_SYMBOLS_PER_FILE);
    assert.equal(lines.at(-1), "… 16 more symbols");
    const long = `export function g(${Array.from({ length: 40 }, (_, i) => `argument${i}: string`).join(", ")}) {}`;
    const [line] = (await symbolsOf("typescript", long)) ?? [];
    assert.ok(line && line.length <= MAX_SIGNATURE_CHARS && line.endsWith("…"));
  });

  it("returns no symbols for a file that only has statements, and survives syntax errors", async () => {
    assert.deepEqual(await symbolsOf("python", "print('hi')\n"), []);
    assert.deepEqual(await symbolsOf("typescript", "export function ok() {}\nexport function broken( {\n"), ["export function ok()"]);
  });
});

describe("grammarForPath", () => {
  it("maps source extensions to grammars and leaves other files and minified bundles out", () => {
    assert.equal(grammarForPath("src/a.ts"), "typescript");
    assert.equal(grammarForPath("src/a.d.ts"), "typescript");
    assert.equal(grammarForPath("ui/App.tsx"), "tsx");
    assert.equal(grammarForPath("lib/x.mjs"), "javascript");
    assert.equal(grammarForPath("a/b.pyi"), "python");
    assert.equal(grammarForPath("main.go"), "go");
    assert.equal(grammarForPath("src/lib.rs"), "rust");
    assert.equal(grammarForPath("A.java"), "java");
    assert.equal(grammarForPath("dist/app.min.js"), null);
    assert.equal(grammarForPath("README.md"), null);
    assert.equal(grammarForPath(".ts"), null);
    assert.equal(grammarForPath("Makefile"), null);
  });
});
