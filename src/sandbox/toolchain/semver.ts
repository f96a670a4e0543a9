/**
 * Just enough of npm's semver ranges to tell whether a Node version
 * satisfies `engines.node` (comparators, x-ranges, `~`, `^`, hyphen ranges,
 * `||`), on release versions only (Node's own versions have no prerelease
 * tag). Pure. A range it cannot read gives null, never a guess.
 */

export type Version = [number, number, number];
type Op = ">=" | ">" | "<" | "<=" | "=";
interface Comparator {
  op: Op;
  v: Version;
}

/** "v22.11.0", "22.11.0" → [22, 11, 0]; null for anything else. */
export function parseVersion(text: string): Version | null {
  const m = /^v?(\d{1,9})\.(\d{1,9})\.(\d{1,9})$/.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

export function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** A partial version: numbers given before the first x, * or missing part. */
function partial(text: string): number[] | null {
  const m = /^v?(\d{1,9}|[xX*])(?:\.(\d{1,9}|[xX*]))?(?:\.(\d{1,9}|[xX*]))?$/.exec(text);
  if (!m) return null;
  const parts: number[] = [];
  for (const part of m.slice(1)) {
    if (part === undefined || !/^\d/.test(part)) break;
    parts.push(Number(part));
  }
  return parts;
}

const full = (p: number[]): Version => [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0];
/** The first version above every version `p` stands for: 1.2 → 1.3.0, 1 → 2.0.0. */
function next(p: number[]): Version {
  const v = full(p);
  v[p.length - 1] = (v[p.length - 1] ?? 0) + 1;
  for (let i = p.length; i < 3; i++) v[i] = 0;
  return v;
}

function primitive(op: string, p: number[]): Comparator[] {
  if (p.length === 0) return op === "<" || op === ">" ? [{ op: "<", v: [0, 0, 0] }] : [];
  const exact = p.length === 3;
  switch (op) {
    case ">":
      return [{ op: exact ? ">" : ">=", v: exact ? full(p) : next(p) }];
    case ">=":
      return [{ op: ">=", v: full(p) }];
    case "<":
      return [{ op: "<", v: full(p) }];
    case "<=":
      return [{ op: exact ? "<=" : "<", v: exact ? full(p) : next(p) }];
    default:
      return exact
        ? [{ op: "=", v: full(p) }]
        : [
            { op: ">=", v: full(p) },
            { op: "<", v: next(p) },
          ];
  }
}

function caret(p: number[]): Comparator[] {
  if (p.length === 0) return [];
  const v = full(p);
  const upper: Version = v[0] > 0 || p.length === 1 ? [v[0] + 1, 0, 0] : v[1] > 0 || p.length === 2 ? [0, v[1] + 1, 0] : [0, 0, v[2] + 1];
  return [
    { op: ">=", v },
    { op: "<", v: upper },
  ];
}

function simple(token: string): Comparator[] | null {
  const m = /^(~>?|\^|>=|<=|>|<|=)?(.*)$/.exec(token)!;
  const p = partial(m[2]!);
  if (p === null) return null;
  const op = m[1] ?? "=";
  if (op.startsWith("~"))
    return p.length === 0
      ? []
      : [
          { op: ">=", v: full(p) },
          { op: "<", v: next(p.length === 1 ? p : p.slice(0, 2)) },
        ];
  if (op === "^") return caret(p);
  return primitive(op, p);
}

/** One `||` alternative as comparators, or null when it cannot be read. */
function alternative(text: string): Comparator[] | null {
  const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(text);
  if (hyphen) {
    const low = partial(hyphen[1]!);
    const high = partial(hyphen[2]!);
    if (low === null || high === null) return null;
    return [...(low.length ? [{ op: ">=" as const, v: full(low) }] : []), ...primitive("<=", high)];
  }
  const tokens = text
    .replace(/(~>?|\^|>=|<=|>|<|=)\s+/g, "$1")
    .split(/\s+/)
    .filter(Boolean);
  const out: Comparator[] = [];
  for (const token of tokens) {
    const c = simple(token);
    if (c === null) return null;
    out.push(...c);
  }
  return out;
}

const holds = (v: Version, c: Comparator): boolean => {
  const d = compare(v, c.v);
  return c.op === "=" ? d === 0 : c.op === ">" ? d > 0 : c.op === ">=" ? d >= 0 : c.op === "<" ? d < 0 : d <= 0;
};

/** Whether `version` satisfies `range`; null when the range is not one this reads. */
export function satisfies(version: Version, range: string): boolean | null {
  if (range.length > 256) return null;
  const alternatives = range
    .trim()
    .split("||")
    .map((a) => alternative(a.trim()));
  if (alternatives.some((a) => a === null)) return null;
  return alternatives.some((a) => a!.every((c) => holds(version, c)));
}
