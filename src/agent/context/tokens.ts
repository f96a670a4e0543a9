/**
 * Token arithmetic for prompt budgets. Tokens are estimated as characters / 4:
 * close to what OpenAI's and Anthropic's tokenizers give for English prose and
 * code (source code with short identifiers and symbols runs a little denser),
 * needs no tokenizer tables, and is the same for every provider. Budgets in
 * this folder are therefore character budgets of 4 × the token number.
 */

export const CHARS_PER_TOKEN = 4;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/**
 * Cuts `text` to at most `maxChars` characters (the note included), at a line
 * break when one is near the end, never inside a surrogate pair, and appends a
 * note saying how much was left out. Text within the limit is returned as is.
 */
export function truncateText(text: string, maxChars: number, what = "text"): string {
  if (text.length <= maxChars) return text;
  const note = (left: number) => `\n[… ${what} truncated: ${left.toLocaleString("en-US")} more characters not shown]`;
  const room = maxChars - note(text.length).length;
  if (room <= 0) return text.slice(0, Math.max(0, maxChars - (/[\uD800-\uDBFF]/.test(text[maxChars - 1] ?? "") ? 1 : 0)));
  let cut = text.slice(0, room);
  const lineBreak = cut.lastIndexOf("\n");
  if (lineBreak >= room * 0.8) cut = cut.slice(0, lineBreak);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}${note(text.length - cut.length)}`;
}
