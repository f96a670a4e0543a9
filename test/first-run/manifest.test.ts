import { describe, expect, it } from "vitest";
import { buildManifest, readAppYml } from "../../src/first-run/manifest.ts";

describe("the App manifest the first-run page sends to GitHub", () => {
  it("is app.yml with this server's webhook, redirect and sign-in callback URLs, and no authorization on install", () => {
    const manifest = buildManifest(readAppYml(), { base: "https://jules.example.com", webhookPath: "/api/github/webhooks", webhookProxyUrl: undefined });
    expect(manifest).toEqual({
      name: "OpenJules",
      url: "https://github.com/openjules/openjules",
      description: expect.stringContaining("/jules <task>"),
      public: false,
      hook_attributes: { url: "https://jules.example.com/api/github/webhooks", active: true },
      redirect_url: "https://jules.example.com/first-run/callback",
      callback_urls: ["https://jules.example.com/app/auth/callback"],
      request_oauth_on_install: false,
      setup_on_update: false,
      default_events: ["issues", "issue_comment", "pull_request", "pull_request_review", "pull_request_review_comment", "check_suite", "check_run", "workflow_run"],
      default_permissions: { contents: "write", issues: "write", pull_requests: "write", checks: "write", actions: "read", metadata: "read" },
    });
    expect(manifest.default_permissions).not.toHaveProperty("workflows");
  });

  it("sends webhooks to WEBHOOK_PROXY_URL when one is set, and fills what app.yml leaves out", () => {
    const manifest = buildManifest({ default_events: ["issues"] }, { base: "http://localhost:3000", webhookPath: "/hooks", webhookProxyUrl: "https://smee.io/abc" });
    expect(manifest).toMatchObject({
      name: "OpenJules",
      url: "http://localhost:3000",
      public: false,
      hook_attributes: { url: "https://smee.io/abc", active: true },
      redirect_url: "http://localhost:3000/first-run/callback",
      default_events: ["issues"],
      default_permissions: {},
    });
    expect(manifest).not.toHaveProperty("description");
  });
});
