/**
 * Requests to GitHub that no GitHubMock interceptor answered. nock fails such
 * a request inside OpenJules (a job retries it, then gives up) without the
 * test noticing, so tests that assert "nothing more was asked" record them.
 */
import nock from "nock";
import { afterEach, beforeEach } from "vitest";
import { API } from "./github-mock.ts";

export function recordUnmatched(): () => string[] {
  let seen: string[] = [];
  // nock 15 passes the fetch Request (url, method).
  const listener = (req: { method?: string; url?: string }) => {
    const url = req.url ?? "";
    if (url.startsWith(API)) seen.push(`${req.method ?? "?"} ${url.slice(API.length)}`);
  };
  beforeEach(() => {
    seen = [];
    nock.emitter.on("no match", listener);
  });
  afterEach(() => {
    nock.emitter.removeListener("no match", listener);
  });
  return () => seen;
}
