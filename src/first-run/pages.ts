import { createHash } from "node:crypto";
import type { Manifest } from "./manifest.ts";
import { PROVIDERS, type ProviderChoice } from "./provider.ts";

/**
 * The first-run pages as pure functions of what they show: every text is
 * escaped, the forms need no script (the page's CSP allows none; its one
 * style element is allowed by its hash, so that the last page, answered just
 * before this server closes, needs no second request), and no page ever
 * holds a secret (the private key, the webhook secret, the client
 * secret and the API key go to .env only; the key field is never filled in).
 */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
const e = escapeHtml;

const STYLESHEET = `body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
main{max-width:44rem;margin:2rem auto;padding:1.5rem;background:#fff;border:1px solid #d0d7de;border-radius:8px}
h1{font-size:1.5rem;margin-top:0}code{background:#eff1f3;padding:0 .25em;border-radius:4px;overflow-wrap:anywhere}
label{display:block;font-weight:600;margin-top:1rem}input,select{font:inherit;width:100%;box-sizing:border-box;padding:.4rem;border:1px solid #8c959f;border-radius:6px}
button{font:inherit;margin-top:1.25rem;padding:.5rem 1rem;border-radius:6px;border:1px solid #1f883d;background:#1f883d;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1f2328;border-color:#8c959f}.note{background:#fff8c5;border:1px solid #d4a72c;padding:.75rem;border-radius:6px}
.problem{background:#ffebe9;border:1px solid #cf222e;padding:.75rem;border-radius:6px}small{color:#59636e}
`;
/** The CSP source that allows the pages' style element and nothing else. */
export const STYLE_SOURCE = `'sha256-${createHash("sha256").update(STYLESHEET).digest("base64")}'`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${e(title)} · OpenJules</title><link rel="icon" href="data:,"><style>${STYLESHEET}</style></head>
<body><main>
<h1>${e(title)}</h1>
${body}
</main></body>
</html>
`;
}

const hidden = (name: string, value: string) => `<input type="hidden" name="${e(name)}" value="${e(value)}">`;

/** Anyone without the terminal's link: the page says where to get it, and nothing more. */
export function lockedPage(): string {
  return page(
    "OpenJules is not set up yet",
    `<p>Open the link printed in the terminal where OpenJules was started (<code>npm start</code>). It carries a key, so that only the person at that terminal can register the GitHub App for this server.</p>`,
  );
}

export interface WelcomeView {
  token: string;
  manifest: Manifest;
  /** Where the URLs come from: JULES_PUBLIC_URL, or the address this page was opened at. */
  urlSource: "JULES_PUBLIC_URL" | "this page's address";
  envFile: string;
  webHost: string;
  /** True when GitHub cannot reach the webhook URL (localhost and no WEBHOOK_PROXY_URL). */
  unreachable: boolean;
}

export function welcomePage(v: WelcomeView): string {
  const permissions = Object.entries(v.manifest.default_permissions).map(([name, level]) => `<li><code>${e(name)}</code>: ${e(level)}</li>`);
  const events = v.manifest.default_events.map((name) => `<code>${e(name)}</code>`).join(", ");
  const warning = v.unreachable
    ? `<p class="note">GitHub cannot send webhooks to <code>${e(v.manifest.hook_attributes.url)}</code>. Set <code>JULES_PUBLIC_URL</code> to an address GitHub reaches, or <code>WEBHOOK_PROXY_URL</code> to a <a href="https://smee.io">smee.io</a> channel, and start again; or register now and change the webhook URL in the App's settings later.</p>`
    : "";
  return page(
    "Set up OpenJules",
    `<p>OpenJules works as a GitHub App: people comment <code>/jules &lt;task&gt;</code> on an issue, approve its plan, and get a pull request. This machine has no App yet. This page registers one on <code>${e(v.webHost)}</code> from <code>app.yml</code> through GitHub's manifest flow, writes its credentials into <code>${e(v.envFile)}</code> (readable by you only), then asks which model provider the agent uses.</p>
<h2>What the App may do</h2>
<ul>${permissions.join("")}</ul>
<p>Events: ${events}. No <code>workflows</code> permission: OpenJules never changes <code>.github/workflows/</code>.</p>
<h2>Where GitHub reaches this server</h2>
<p>From ${v.urlSource === "JULES_PUBLIC_URL" ? "<code>JULES_PUBLIC_URL</code>" : "the address of this page (set <code>JULES_PUBLIC_URL</code> to choose another)"}:</p>
<ul><li>Webhooks: <code>${e(v.manifest.hook_attributes.url)}</code></li><li>Sign-in to the web app: <code>${e(v.manifest.callback_urls[0] ?? "")}</code></li><li>Back here after registering: <code>${e(v.manifest.redirect_url)}</code></li></ul>
${warning}
<form method="post" action="/first-run/register">
${hidden("token", v.token)}
<label for="org">Organization that owns the App <small>(optional: empty for your own account)</small></label>
<input id="org" name="org" autocomplete="off">
<button type="submit">Register the GitHub App</button>
</form>`,
  );
}

export function continuePage(v: { action: string; manifest: Manifest }): string {
  return page(
    "Continue on GitHub",
    `<p>GitHub shows the App's settings from <code>app.yml</code>. App names are unique on GitHub: if <code>${e(v.manifest.name)}</code> is taken, change it there. Then press <strong>Create GitHub App</strong>; GitHub sends you back here.</p>
<form method="post" action="${e(v.action)}">
${hidden("manifest", JSON.stringify(v.manifest))}
<button type="submit">Continue to GitHub</button>
</form>`,
  );
}

export interface ProviderView {
  token: string;
  appName: string;
  envFile: string;
  problems: string[];
  values: { provider: string; model: string; baseUrl: string };
}

const PROVIDER_LABELS: Record<ProviderChoice, string> = {
  openai: "OpenAI",
  anthropic: "Anthropic",
  "openai-compatible": "OpenAI-compatible endpoint (Ollama, vLLM, LiteLLM, OpenRouter, Gemini)",
  none: "None for now (tasks say that no agent is configured)",
};

export function providerPage(v: ProviderView): string {
  const options = PROVIDERS.map((p) => `<option value="${e(p)}"${v.values.provider === p ? " selected" : ""}>${e(PROVIDER_LABELS[p])}</option>`).join("");
  const problems = v.problems.length > 0 ? `<div class="problem" role="alert"><ul>${v.problems.map((p) => `<li>${e(p)}</li>`).join("")}</ul></div>` : "";
  return page(
    "Choose the model provider",
    `<p>The GitHub App <strong>${e(v.appName)}</strong> is registered and its credentials are in <code>${e(v.envFile)}</code>. Now the model the agent plans and works with; it is written into the same file.</p>
${problems}
<form method="post" action="/first-run/provider">
${hidden("token", v.token)}
<label for="provider">Provider</label>
<select id="provider" name="provider">${options}</select>
<label for="model">Model</label>
<input id="model" name="model" value="${e(v.values.model)}" autocomplete="off" placeholder="gpt-4.1, claude-sonnet-4-6, llama3.1:8b">
<label for="apiKey">API key <small>(not needed by most local endpoints; never shown again)</small></label>
<input id="apiKey" name="apiKey" type="password" autocomplete="off">
<label for="baseUrl">Base URL <small>(OpenAI-compatible endpoints; optional otherwise)</small></label>
<input id="baseUrl" name="baseUrl" value="${e(v.values.baseUrl)}" autocomplete="off" placeholder="http://localhost:11434/v1">
<button type="submit">Save and start OpenJules</button>
</form>`,
  );
}

export function donePage(v: { appName: string; installUrl: string }): string {
  return page(
    "OpenJules is starting",
    `<p>The settings are saved. OpenJules starts now on this server (the terminal says when it is running).</p>
<p>Next, <a href="${e(v.installUrl)}">install <strong>${e(v.appName)}</strong></a> on the repositories it should work on, then comment <code>/jules &lt;what to do&gt;</code> on an issue there.</p>`,
  );
}

export function problemPage(v: { title: string; text: string; retry?: boolean }): string {
  return page(v.title, `<p>${e(v.text)}</p>${v.retry ? `<p><a href="/first-run/">Start again</a></p>` : ""}`);
}
