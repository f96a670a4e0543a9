import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { Language, Parser } from "web-tree-sitter";
import { upgradeLegacyDylink } from "./legacy-dylink.ts";

/**
 * Tree-sitter grammars for the repository map: finds each prebuilt grammar
 * `.wasm` in an npm package, loads it into web-tree-sitter once per process
 * and hands out one reused parser per language. Packages are tried in order:
 * `@repomix/tree-sitter-wasms` (built with tree-sitter-cli 0.26, native to
 * web-tree-sitter 0.26+), then `tree-sitter-wasms` (tree-sitter-cli 0.20,
 * loaded after upgrading its legacy dylink section). Paths are resolved with
 * `createRequire(import.meta.url)` so they work from any working directory.
 * A grammar that cannot be found or loaded is remembered as unavailable with
 * the reason (see `grammarLoadErrors`) and the map falls back to file names.
 */

export const GRAMMARS = ["typescript", "tsx", "javascript", "python", "go", "rust", "java"] as const;
export type GrammarName = (typeof GRAMMARS)[number];

export const GRAMMAR_PACKAGES: readonly string[] = ["@repomix/tree-sitter-wasms", "tree-sitter-wasms"];

const require = createRequire(import.meta.url);
let runtime: Promise<void> | null = null;
const parsers = new Map<GrammarName, Promise<Parser | null>>();
const errors = new Map<GrammarName, string>();

/** Absolute path of the grammar's `.wasm` in the first package that has it, or null. */
export function locateGrammar(name: GrammarName, packages: readonly string[] = GRAMMAR_PACKAGES): string | null {
  for (const pkg of packages) {
    try {
      return require.resolve(`${pkg}/out/tree-sitter-${name}.wasm`);
    } catch {
      // not installed: try the next package
    }
  }
  return null;
}

function initRuntime(): Promise<void> {
  runtime ??= Parser.init();
  return runtime;
}

/** Loads a grammar file, upgrading a legacy (tree-sitter-cli 0.20) build first. */
export async function loadLanguage(wasmPath: string): Promise<Language> {
  await initRuntime();
  const bytes = upgradeLegacyDylink(new Uint8Array(await readFile(wasmPath)));
  return Language.load(bytes);
}

async function createParser(name: GrammarName): Promise<Parser | null> {
  const path = locateGrammar(name);
  if (path === null) {
    errors.set(name, `no grammar file tree-sitter-${name}.wasm in ${GRAMMAR_PACKAGES.join(" or ")}`);
    return null;
  }
  try {
    const language = await loadLanguage(path);
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  } catch (error) {
    errors.set(name, `${path}: ${error instanceof Error ? error.message || error.name : String(error)}`);
    return null;
  }
}

/** The process-wide parser for a language, or null when its grammar is unavailable. */
export function parserFor(name: GrammarName): Promise<Parser | null> {
  let parser = parsers.get(name);
  if (!parser) {
    parser = createParser(name);
    parsers.set(name, parser);
  }
  return parser;
}

/** Why grammars could not be loaded, by language (empty when all loaded that were asked for). */
export function grammarLoadErrors(): ReadonlyMap<GrammarName, string> {
  return errors;
}
