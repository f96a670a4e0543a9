import { stripHiddenMarkup } from "./hidden-html.ts";
import { removeInvisible } from "./invisible.ts";

/**
 * Sanitizing untrusted thread text (issue titles, bodies, comments, the
 * instruction of a command) before it reaches a model: invisible characters
 * go first (so `<!-\u200B-` cannot dodge the comment rule), then hidden
 * markup, then the text is normalised to NFC. Repeated until nothing changes
 * (at most a few rounds), so the result is stable: sanitizing twice gives the
 * same text, and removing one construct cannot assemble a new hidden one.
 * Ordinary markdown (headings, lists, links, code, tables, `<details>`) is
 * kept as written; images become `[image]` and links lose their titles, the
 * parts of them a reader does not see. Linear in the text's length (each
 * round is one scan, see hidden-html.ts).
 */

const MAX_ROUNDS = 5;

export function sanitizeUntrusted(text: string): string {
  let current = text;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const next = stripHiddenMarkup(removeInvisible(current)).normalize("NFC");
    if (next === current) return next;
    current = next;
  }
  return current;
}

export { selectThreadComments } from "./thread-filter.ts";
