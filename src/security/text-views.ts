/**
 * The texts a file's bytes can be read as, for the secret scan. Tokens and
 * keys are ASCII, so two views cover the encodings a reader (GitHub's file
 * view, an editor, `iconv`) decodes without being told to:
 *   - the bytes as UTF-8 (ASCII, UTF-8, any 8-bit encoding, and ASCII runs
 *     inside a binary file);
 *   - when the bytes hold NULs, the bytes with every NUL dropped: UTF-16 and
 *     UTF-32 text of ASCII characters (LE or BE, with or without a BOM, at
 *     any alignment, also embedded in a binary file) becomes plain ASCII.
 * Dropping NULs keeps every newline, so line numbers agree between the views.
 * The label names what the bytes look like ("UTF-16LE", "binary"), for the
 * finding's message; null for ordinary text. Pure.
 */

export interface TextViews {
  label: string | null;
  texts: string[];
}

/** How much of the start is sampled to tell UTF-16/32 from other binary content. */
const SAMPLE = 4096;

export function textViews(bytes: Uint8Array): TextViews {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const utf8 = buffer.toString("utf8");
  if (!buffer.includes(0)) return { label: hasBom16(buffer) ? unicodeLabel(buffer) : null, texts: [utf8] };
  const withoutNuls = Buffer.from(buffer.filter((b) => b !== 0)).toString("latin1");
  return { label: unicodeLabel(buffer), texts: [utf8, withoutNuls] };
}

function hasBom16(b: Buffer): boolean {
  return (b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff);
}

/** "UTF-32LE", "UTF-16BE"... from a byte-order mark or, without one, from where the NULs fall; else "binary". */
export function unicodeLabel(b: Buffer): string {
  if (b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) return "UTF-32LE";
  if (b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) return "UTF-32BE";
  if (b[0] === 0xff && b[1] === 0xfe) return "UTF-16LE";
  if (b[0] === 0xfe && b[1] === 0xff) return "UTF-16BE";
  const sample = b.subarray(0, SAMPLE);
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample[i] !== 0) continue;
    if (i % 2 === 0) evenNuls++;
    else oddNuls++;
  }
  const half = sample.length / 2;
  if (oddNuls >= half * 0.9 && evenNuls <= half * 0.1) return "UTF-16LE";
  if (evenNuls >= half * 0.9 && oddNuls <= half * 0.1) return "UTF-16BE";
  return "binary";
}
