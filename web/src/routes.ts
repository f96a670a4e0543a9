/** The app's pages by path under /app. Pure. */

export const BASE = "/app";

export type Route = { page: "tasks" } | { page: "new" } | { page: "task"; id: string } | { page: "settings" } | { page: "not_found" };

export function matchRoute(pathname: string): Route {
  if (pathname !== BASE && !pathname.startsWith(`${BASE}/`)) return { page: "not_found" };
  const path = pathname.slice(BASE.length) || "/";
  const clean = path.length > 1 ? path.replace(/\/+$/, "") : path;
  if (clean === "/" || clean === "") return { page: "tasks" };
  if (clean === "/new") return { page: "new" };
  if (clean === "/settings") return { page: "settings" };
  const task = /^\/tasks\/([^/]+)$/.exec(clean);
  if (task) {
    try {
      return { page: "task", id: decodeURIComponent(task[1]!) };
    } catch {
      return { page: "not_found" };
    }
  }
  return { page: "not_found" };
}
