import assert from "node:assert/strict";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, it } from "vitest";
import { UsageView } from "../../web/src/components/usage.tsx";
import { makeTask } from "../render/fixtures.ts";

const usage = { inputTokens: 1200, outputTokens: 300, calls: 3, wallMs: 4000, costUsd: 0.0123 };

describe("the task page's usage panel", () => {
  it("says whose key the usage is billed to: the requester's own (last four only) or the operator's", () => {
    const own = renderToStaticMarkup(createElement(UsageView, { task: makeTask({ usage, ownKey: { login: "mona", provider: "openai", last4: "abcd" } }) }));
    assert.match(own, /Billed to<\/dt><dd>mona&#x27;s own openai key ••••abcd<\/dd>/);
    const operators = renderToStaticMarkup(createElement(UsageView, { task: makeTask({ usage }) }));
    assert.match(operators, /Billed to<\/dt><dd>the operator&#x27;s key<\/dd>/);
    const none = renderToStaticMarkup(createElement(UsageView, { task: makeTask({ usage: null }) }));
    assert.match(none, /No model use yet/);
  });
});
