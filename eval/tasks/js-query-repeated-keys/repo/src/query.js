/**
 * The parameters of a query string (with or without its leading `?`).
 * @param {string} query
 * @returns {Record<string, string>}
 */
export function parseQuery(query) {
  const params = {};
  for (const pair of query.replace(/^\?/, "").split("&")) {
    if (pair === "") continue;
    const [key, value = ""] = pair.split("=");
    params[decode(key)] = decode(value);
  }
  return params;
}

/**
 * A query string (without `?`) from parameters; undefined values are left out.
 * @param {Record<string, string | undefined>} params
 * @returns {string}
 */
export function stringifyQuery(params) {
  return Object.entries(params)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join("&");
}

const decode = (text) => decodeURIComponent(text.replace(/\+/g, " "));
