import { describe, expect, it } from "vitest";
import { matchRoute } from "../../web/src/routes.ts";

describe("matchRoute", () => {
  it("knows the app's pages under /app", () => {
    expect(matchRoute("/app/")).toEqual({ page: "tasks" });
    expect(matchRoute("/app")).toEqual({ page: "tasks" });
    expect(matchRoute("/app/new")).toEqual({ page: "new" });
    expect(matchRoute("/app/new/")).toEqual({ page: "new" });
    expect(matchRoute("/app/settings")).toEqual({ page: "settings" });
    expect(matchRoute("/app/tasks/abc%2Fdef")).toEqual({ page: "task", id: "abc/def" });
  });

  it("answers not_found for anything else", () => {
    for (const path of ["/app/tasks", "/app/tasks/a/b", "/app/nope", "/new", "/application", "/app/tasks/%E0%A4%A"]) expect(matchRoute(path), path).toEqual({ page: "not_found" });
  });
});
