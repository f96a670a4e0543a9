import type { GrammarName } from "./grammars.ts";

/**
 * Which files the repository map parses, with which grammar, and which syntax
 * nodes count as top-level symbols in each language. The node type names are
 * those of the tree-sitter grammars (typescript/tsx/javascript, python, go,
 * rust, java); a type missing from a grammar version simply never matches.
 */

const BY_EXTENSION: Record<string, GrammarName> = {
  ".ts": "typescript",
  ".mts": "typescript",
  ".cts": "typescript",
  ".tsx": "tsx",
  ".js": "javascript",
  ".mjs": "javascript",
  ".cjs": "javascript",
  ".jsx": "javascript",
  ".py": "python",
  ".pyi": "python",
  ".go": "go",
  ".rs": "rust",
  ".java": "java",
};

/** The grammar for a path, or null for files listed by name only. Minified bundles and `.d.ts` maps of JS are parsed like any other. */
export function grammarForPath(path: string): GrammarName | null {
  const base = path.slice(path.lastIndexOf("/") + 1).toLowerCase();
  if (/\.min\.[cm]?js$/.test(base)) return null;
  const dot = base.lastIndexOf(".");
  if (dot <= 0) return null;
  return BY_EXTENSION[base.slice(dot)] ?? null;
}

/** How a top-level node is rendered. */
export type SymbolKind =
  | "signature" // text up to the body (or the first line), plus member names when it has a body with members
  | "variables" // `const a = (x) =>`, `let b`: one line per declarator
  | "go-types" // `type S struct`, one line per spec
  | "go-values" // `var A, B` / `const C`
  | "py-constant"; // `MAX_SIZE = ...` at module level, UPPER_CASE names only

export const TOP_LEVEL: Record<string, SymbolKind> = {
  // TypeScript, TSX, JavaScript
  function_declaration: "signature",
  generator_function_declaration: "signature",
  function_signature: "signature",
  class_declaration: "signature",
  abstract_class_declaration: "signature",
  interface_declaration: "signature",
  type_alias_declaration: "signature",
  enum_declaration: "signature",
  module: "signature",
  internal_module: "signature",
  lexical_declaration: "variables",
  variable_declaration: "variables",
  // Python
  function_definition: "signature",
  class_definition: "signature",
  expression_statement: "py-constant",
  // Go
  method_declaration: "signature",
  type_declaration: "go-types",
  var_declaration: "go-values",
  const_declaration: "go-values",
  // Rust
  function_item: "signature",
  function_signature_item: "signature",
  struct_item: "signature",
  enum_item: "signature",
  union_item: "signature",
  trait_item: "signature",
  impl_item: "signature",
  mod_item: "signature",
  const_item: "signature",
  static_item: "signature",
  type_item: "signature",
  macro_definition: "signature",
  // Java
  record_declaration: "signature",
  annotation_type_declaration: "signature",
};

/** Nodes that wrap a definition: `export ...`, `declare ...`, Python decorators, a TS namespace statement. */
export const WRAPPERS = new Set(["export_statement", "ambient_declaration", "decorated_definition", "expression_statement"]);

/** Members listed after a container's signature (methods, fields, nested types). */
export const MEMBERS = new Set([
  "method_definition",
  "public_field_definition",
  "field_definition",
  "abstract_method_signature",
  "method_signature",
  "property_signature",
  "function_definition",
  "method_declaration",
  "constructor_declaration",
  "class_declaration",
  "interface_declaration",
  "enum_declaration",
  "record_declaration",
  "function_item",
  "function_signature_item",
  "const_item",
  "type_item",
]);

/** Body containers whose children hold more members (Java enum bodies). */
export const MEMBER_GROUPS = new Set(["enum_body_declarations"]);
