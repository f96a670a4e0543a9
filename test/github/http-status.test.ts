import { describe, expect, it } from "vitest";
import { httpStatus } from "../../src/github/http-status.ts";

describe("httpStatus", () => {
  it("is the HTTP status of an Octokit error (its status field)", () => {
    expect(httpStatus(Object.assign(new Error("Not Found"), { status: 404 }))).toBe(404);
  });

  it("is undefined for anything without a positive numeric status, null and undefined included", () => {
    for (const value of [null, undefined, "422", new Error("offline"), { status: "500" }, { status: 0 }, { status: Number.NaN }]) {
      expect(httpStatus(value)).toBeUndefined();
    }
  });
});
