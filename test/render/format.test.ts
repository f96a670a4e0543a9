import { describe, it } from "vitest";
import assert from "node:assert/strict";
import { elapsedMs, formatCost, formatCount, formatDuration } from "../../src/render/format.ts";
import { hasUsage, renderUsage } from "../../src/render/usage.ts";

describe("formatDuration", () => {
  it("reads like a person would write it", () => {
    assert.equal(formatDuration(0), "0s");
    assert.equal(formatDuration(999), "0s");
    assert.equal(formatDuration(45_000), "45s");
    assert.equal(formatDuration(125_000), "2m 05s");
    assert.equal(formatDuration(3_720_000), "1h 02m");
    assert.equal(formatDuration(3 * 86_400_000 + 4 * 3_600_000), "3d 04h");
    assert.equal(formatDuration(-5), "0s");
    assert.equal(formatDuration(Number.NaN), "0s");
  });

  it("measures between ISO instants and clamps reversed or invalid ones", () => {
    assert.equal(elapsedMs("2026-01-01T00:00:00Z", "2026-01-01T00:02:05Z"), 125_000);
    assert.equal(elapsedMs("2026-01-01T00:02:05Z", "2026-01-01T00:00:00Z"), 0);
    assert.equal(elapsedMs("garbage", new Date()), 0);
  });
});

describe("formatCount and formatCost", () => {
  it("groups thousands", () => {
    assert.equal(formatCount(0), "0");
    assert.equal(formatCount(999), "999");
    assert.equal(formatCount(12_345), "12,345");
    assert.equal(formatCount(1_234_567.6), "1,234,568");
  });

  it("shows cents precisely below a dollar and two decimals above", () => {
    assert.equal(formatCost(0.0123), "$0.0123");
    assert.equal(formatCost(0), "$0.0000");
    assert.equal(formatCost(1.999), "$2.00");
    assert.equal(formatCost(1234.5), "$1,234.50");
  });
});

describe("renderUsage", () => {
  it("is one line with tokens, calls, cost and time", () => {
    assert.equal(
      renderUsage({ inputTokens: 12_345, outputTokens: 2_345, calls: 7, wallMs: 65_000, costUsd: 0.0123 }),
      "12,345 tokens in · 2,345 out · 7 model calls · $0.0123 · 1m 05s",
    );
    assert.equal(renderUsage({ inputTokens: 10, outputTokens: 2, calls: 1, wallMs: 900, costUsd: 0 }), "10 tokens in · 2 out · 1 model call · $0.0000 · 0s");
  });

  it("has nothing to show before the first call", () => {
    assert.equal(hasUsage(null), false);
    assert.equal(hasUsage({ inputTokens: 0, outputTokens: 0, calls: 0, wallMs: 5, costUsd: 0 }), false);
    assert.equal(hasUsage({ inputTokens: 1, outputTokens: 0, calls: 0, wallMs: 0, costUsd: 0 }), true);
  });
});
