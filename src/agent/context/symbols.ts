import type { Node } from "web-tree-sitter";
import { parserFor, type GrammarName } from "./grammars.ts";
import { MEMBER_GROUPS, MEMBERS, TOP_LEVEL, WRAPPERS } from "./languages.ts";

/**
 * Top-level symbols of one source file, as short lines for the repository
 * map: a definition's signature up to its body (`export async function
 * load(path: string): Promise<Config>`, `impl Display for Task`, `func (s
 * *Store) Get(id string) (*Task, error)`), with the member names of classes,
 * interfaces, traits and impls (`{ constructor, start, stop }`). The public
 * surface comes first: private variables are never shown, and a file that
 * exports anything shows only what it exports (exported = `export`/`declare`
 * in TS/JS, no leading `_` in Python, a capital first letter in Go, `pub` in
 * Rust, every type in Java). Lines are whitespace-collapsed and length-capped;
 * over the per-file cap, definitions win over variables. Returns null when the
 * grammar is unavailable or parsing fails, so the caller lists the file by name.
 */

export const MAX_SYMBOLS_PER_FILE = 25;
export const MAX_SIGNATURE_CHARS = 140;
export const MAX_MEMBERS = 12;

interface SymbolLine {
  text: string;
  /** Variables and constants: dropped first when over the cap, never shown when private. */
  variable: boolean;
  exported: boolean;
}

function isExported(grammar: GrammarName, outer: Node, node: Node, name = node.childForFieldName("name")?.text ?? ""): boolean {
  switch (grammar) {
    case "python":
      return !name.startsWith("_");
    case "go":
      return /^\p{Lu}/u.test(name);
    case "rust":
      return node.type === "impl_item" || node.namedChildren.some((c) => c.type === "visibility_modifier");
    case "java":
      return true;
    default:
      return outer.type === "export_statement" || outer.type === "ambient_declaration";
  }
}

function clip(text: string, max = MAX_SIGNATURE_CHARS): string {
  const flat = text
    .replace(/\s+/g, " ")
    .replace(/^(?:@(?!interface\b)[\w.]+(?:\([^)]*\))?\s+)+/, "")
    .replace(/([<([]) /g, "$1")
    .replace(/ ([>)\]])/g, "$1")
    .replace(/[\s{:=;(,|]+$/, "")
    .trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  return `${/[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut}…`;
}

function memberNames(body: Node): string[] {
  const names: string[] = [];
  const visit = (parent: Node) => {
    for (const child of parent.namedChildren) {
      if (MEMBER_GROUPS.has(child.type)) visit(child);
      const member = child.type === "decorated_definition" ? child.childForFieldName("definition") : child;
      if (!member || !MEMBERS.has(member.type)) continue;
      const name = member.childForFieldName("name")?.text ?? member.namedChildren.find((c) => c.type === "variable_declarator")?.childForFieldName("name")?.text;
      if (name) names.push(name);
    }
  };
  visit(body);
  return names;
}

function signatureLine(outer: Node, node: Node, source: string): string {
  const body = node.childForFieldName("body");
  const start = outer.type === "decorated_definition" ? node.startIndex : outer.startIndex;
  const head = body ? source.slice(start, body.startIndex) : source.slice(start, Math.min(node.endIndex, start + 400)).replace(/\s*\{[\s\S]*$/, "");
  const signature = clip(head);
  if (!body) return signature;
  const members = memberNames(body);
  if (members.length === 0) return signature;
  const shown = members.slice(0, MAX_MEMBERS).join(", ");
  const more = members.length > MAX_MEMBERS ? `, … +${members.length - MAX_MEMBERS}` : "";
  return `${signature} { ${shown}${more} }`;
}

function variableLines(outer: Node, node: Node, source: string): string[] {
  const prefix = clip(source.slice(outer.startIndex, node.startIndex) + (node.child(0)?.text ?? ""), 40);
  return node.namedChildren
    .filter((d) => d.type === "variable_declarator")
    .map((d) => {
      const name = d.childForFieldName("name")?.text ?? "";
      const type = d.childForFieldName("type")?.text ?? "";
      const value = d.childForFieldName("value");
      const params = value?.childForFieldName("parameters")?.text ?? value?.childForFieldName("parameter")?.text;
      const isFunction = value && /function|arrow_function/.test(value.type);
      const tail = isFunction ? ` = ${params ?? "()"} =>` : value?.type === "class" ? " = class" : "";
      return clip(`${prefix} ${name}${type}${tail}`);
    });
}

function linesFor(grammar: GrammarName, outer: Node, node: Node, source: string): SymbolLine[] {
  const kind = TOP_LEVEL[node.type];
  switch (kind) {
    case "signature": {
      const variable = /^(?:const|static)_item$/.test(node.type);
      return [{ text: signatureLine(outer, node, source), variable, exported: isExported(grammar, outer, node) }];
    }
    case "variables": {
      const exported = isExported(grammar, outer, node);
      return variableLines(outer, node, source).map((text) => ({ text, variable: true, exported }));
    }
    case "go-types":
      return node.namedChildren
        .filter((s) => s.type === "type_spec" || s.type === "type_alias")
        .map((s) => ({
          text: clip(`type ${(s.text.split("\n")[0] ?? "").replace(/\{.*$/, "")}`),
          variable: false,
          exported: isExported(grammar, outer, s),
        }));
    case "go-values": {
      const names = node.namedChildren.flatMap((s) => s.namedChildren.filter((c) => c.type === "identifier").map((c) => c.text));
      const exported = names.filter((n) => isExported(grammar, outer, node, n));
      const keyword = node.type === "const_declaration" ? "const" : "var";
      return exported.length === 0 ? [] : [{ text: clip(`${keyword} ${exported.join(", ")}`), variable: true, exported: true }];
    }
    case "py-constant": {
      const assignment = node.namedChildren[0];
      const left = assignment?.type === "assignment" ? assignment.childForFieldName("left") : null;
      return left?.type === "identifier" && /^[A-Z][A-Z0-9_]*$/.test(left.text) ? [{ text: `${left.text} = …`, variable: true, exported: true }] : [];
    }
    default:
      return [];
  }
}

/** Unwraps `export`, `declare`, decorators and namespace statements to the definition inside. */
function definitionOf(node: Node): Node | null {
  if (!WRAPPERS.has(node.type)) return node;
  const inner = node.childForFieldName("declaration") ?? node.childForFieldName("definition");
  if (inner) return inner;
  if (node.type === "expression_statement") {
    const first = node.namedChildren[0];
    return first?.type === "internal_module" ? first : node;
  }
  return node.namedChildren.find((c) => TOP_LEVEL[c.type] !== undefined) ?? null;
}

/** Symbol lines of a parsed tree's root (public surface first), capped at MAX_SYMBOLS_PER_FILE. */
export function extractSymbols(grammar: GrammarName, root: Node, source: string): string[] {
  const lines: SymbolLine[] = [];
  for (const outer of root.namedChildren) {
    const node = definitionOf(outer);
    if (node) lines.push(...linesFor(grammar, outer, node, source));
  }
  const visible = lines.filter((l) => l.text !== "" && (l.exported || !l.variable));
  const useful = visible.some((l) => l.exported) ? visible.filter((l) => l.exported) : visible;
  if (useful.length <= MAX_SYMBOLS_PER_FILE) return useful.map((l) => l.text);
  const kept = new Set([...useful].sort((a, b) => Number(a.variable) - Number(b.variable)).slice(0, MAX_SYMBOLS_PER_FILE - 1));
  const shown = useful.filter((l) => kept.has(l)).map((l) => l.text);
  return [...shown, `… ${useful.length - shown.length} more symbols`];
}

/** Parses `source` with the grammar and extracts its symbols; null when no parser is available. */
export async function symbolsOf(grammar: GrammarName, source: string): Promise<string[] | null> {
  const parser = await parserFor(grammar);
  if (!parser) return null;
  const tree = parser.parse(source);
  if (!tree) return null;
  try {
    return extractSymbols(grammar, tree.rootNode, source);
  } finally {
    tree.delete();
  }
}
