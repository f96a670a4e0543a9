/**
 * Invisible characters: the code points a person reading a GitHub thread does
 * not see but a model reads, used to smuggle instructions ("ASCII smuggling"
 * with Unicode tag characters, zero-width text, bidirectional overrides that
 * reorder what is shown). `removeInvisible` deletes them, including when they
 * are written as HTML character references (`&#8203;`, `&zwj;`), turns the
 * Unicode line and paragraph separators into newlines, drops control
 * characters other than tab and newline, and normalises line endings to `\n`.
 */

/**
 * The code points removed: every Default_Ignorable_Code_Point (Unicode's list of
 * code points renderers show as nothing unless they know them: zero-width
 * spaces and joiners, soft hyphen, bidirectional marks, embeddings, overrides
 * and isolates, Hangul fillers, Mongolian and all other variation selectors
 * U+FE00-FE0F and U+E0100-E01EF (used to hide bytes behind an emoji), the
 * musical symbol formatting characters U+1D173-1D17A, shorthand format
 * controls, tag characters U+E0000-E007F and the reserved rest of that
 * plane), plus the interlinear annotation characters.
 */
const INVISIBLE_SOURCE = [
  "\\p{Default_Ignorable_Code_Point}",
  "\\uFFF9-\\uFFFB", // interlinear annotation
].join("");

const INVISIBLE = new RegExp(`[${INVISIBLE_SOURCE}]`, "gu");
const INVISIBLE_ONE = new RegExp(`^[${INVISIBLE_SOURCE}]$`, "u");

/** C0 and C1 control characters other than tab, line feed and carriage return. */
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

const NUMERIC_REFERENCE = /&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?/g;

/** Named references that decode to invisible characters (HTML spec names). */
const NAMED_INVISIBLE =
  /&(?:shy|zwnj|zwj|lrm|rlm|ZeroWidthSpace|NegativeVeryThinSpace|NegativeThinSpace|NegativeMediumSpace|NegativeThickSpace|NoBreak|af|ApplyFunction|it|InvisibleTimes|ic|InvisibleComma);/g;

/** True when the code point is one `removeInvisible` deletes. */
export function isInvisibleCodePoint(codePoint: number): boolean {
  if (!Number.isInteger(codePoint) || codePoint < 0 || codePoint > 0x10ffff) return false;
  if (codePoint <= 0x9f) return codePoint !== 0x09 && codePoint !== 0x0a && codePoint !== 0x0d && (codePoint < 0x20 || codePoint >= 0x7f);
  return INVISIBLE_ONE.test(String.fromCodePoint(codePoint));
}

/** Removes invisible characters (raw or as character references) and normalises line breaks. */
export function removeInvisible(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/[\u2028\u2029]/g, "\n")
    .replace(INVISIBLE, "")
    .replace(CONTROLS, "")
    .replace(NAMED_INVISIBLE, "")
    .replace(NUMERIC_REFERENCE, (reference: string, hex: string | undefined, dec: string | undefined) => {
      const codePoint = hex !== undefined ? Number.parseInt(hex, 16) : Number.parseInt(dec ?? "", 10);
      return isInvisibleCodePoint(codePoint) ? "" : reference;
    });
}
