/**
 * Size limits for comments: GitHub refuses bodies over 65,536 characters, so
 * renderers aim below a budget with room to spare. `clip` shortens one text
 * without splitting a surrogate pair; `fitComment` re-renders with smaller
 * per-field allowances until the whole comment fits, and cuts hard as a last
 * resort.
 */

/** GitHub's limit for an issue comment or pull request body. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** What renderers aim for, leaving room for later additions (e.g. a notice). */
export const COMMENT_BUDGET = 60_000;

/** `text` cut to at most `max` characters, ending with `…` when cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return max === 1 ? "…" : "";
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

const SCALES = [1, 0.5, 0.25, 0.125, 0.0625, 0.03125];

/**
 * Renders with `scale` 1, then smaller, until the result fits `budget`;
 * `render` multiplies its per-field allowances by `scale`. A result that
 * still does not fit is cut, keeping its first line (the hidden marker).
 */
export function fitComment(render: (scale: number) => string, budget = COMMENT_BUDGET): string {
  let result = "";
  for (const scale of SCALES) {
    result = render(scale);
    if (result.length <= budget) return result;
  }
  const note = "\n\n_(this comment was cut to fit GitHub's size limit)_";
  return clip(result, budget - note.length) + note;
}

/** An allowance scaled down, never below `floor`. */
export function scaled(max: number, scale: number, floor = 40): number {
  return Math.max(floor, Math.floor(max * scale));
}
