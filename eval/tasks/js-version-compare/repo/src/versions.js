/**
 * Compares two versions: a negative number when a is older than b, a
 * positive one when it is newer, 0 when they are the same.
 * @param {string} a
 * @param {string} b
 * @returns {number}
 */
export function compareVersions(a, b) {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * The newest of some versions (undefined for none).
 * @param {string[]} versions
 * @returns {string | undefined}
 */
export function latest(versions) {
  return [...versions].sort(compareVersions).at(-1);
}

/**
 * Whether `available` is newer than `installed`.
 * @param {string} installed
 * @param {string} available
 */
export function isUpdate(installed, available) {
  return compareVersions(available, installed) > 0;
}
