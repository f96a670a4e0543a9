/**
 * The fields of one line of CSV.
 * @param {string} line
 * @returns {string[]}
 */
export function parseLine(line) {
  return line.split(",");
}

/**
 * Rows of a CSV document as objects keyed by the header line's names.
 * Blank lines are skipped.
 * @param {string} text
 * @returns {Record<string, string>[]}
 */
export function parseCsv(text) {
  const [header, ...lines] = text.split(/\r?\n/).filter((line) => line.trim() !== "");
  if (header === undefined) return [];
  const names = parseLine(header);
  return lines.map((line) => {
    const fields = parseLine(line);
    return Object.fromEntries(names.map((name, i) => [name, fields[i] ?? ""]));
  });
}
