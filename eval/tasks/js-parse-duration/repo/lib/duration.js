const UNITS = {
  ms: 1,
  s: 1000,
  m: 60 * 1000,
  h: 60 * 60 * 1000,
  d: 24 * 60 * 60 * 1000,
};

/**
 * Milliseconds in a duration such as `500ms`, `90s`, `5m`, `2h` or `1d`.
 * Throws a RangeError for anything else.
 * @param {string} text
 * @returns {number}
 */
export function parseDuration(text) {
  const match = /^(\d+)(ms|s|m|h|d)/.exec(text.trim());
  if (!match) throw new RangeError(`not a duration: ${JSON.stringify(text)}`);
  return Number(match[1]) * UNITS[match[2]];
}
