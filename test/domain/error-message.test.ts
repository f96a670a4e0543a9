import { describe, expect, it } from "vitest";
import { errorMessage } from "../../src/domain/error-message.ts";

describe("errorMessage", () => {
  it("is an Error's message, and anything else as a string", () => {
    expect(errorMessage(new TypeError("bad input"))).toBe("bad input");
    expect(errorMessage("plain words")).toBe("plain words");
    expect(errorMessage(42)).toBe("42");
    expect(errorMessage(undefined)).toBe("undefined");
    expect(errorMessage({ code: "E" })).toBe("[object Object]");
  });

  it("never throws on a value without a string form (it runs in catch blocks)", () => {
    expect(errorMessage(Object.create(null))).toBe("[object Object]");
    expect(
      errorMessage({
        toString: () => {
          throw new Error("no");
        },
      }),
    ).toBe("[object Object]");
  });
});
