/**
 * The diff is the one piece of task text the pages insert as HTML (through
 * diff2html): a hostile diff (a <script> line, a javascript: link, markup in
 * file names and hunk headers, attribute breakers) comes out as text.
 */
import { describe, expect, it } from "vitest";
import { diffHtml } from "../../web/src/diff-html.ts";

const HOSTILE = [
  'diff --git a/x"><img src=x onerror=alert(1)>.md b/x"><img src=x onerror=alert(1)>.md',
  "index 1111111..2222222 100644",
  '--- a/x"><img src=x onerror=alert(1)>.md',
  '+++ b/x"><img src=x onerror=alert(1)>.md',
  "@@ -1,2 +1,3 @@ <script>alert('hunk')</script>",
  " keep",
  "-<a href=\"javascript:alert('old')\">old</a>",
  "+<script>alert('xss')</script>",
  "+<a href=\"javascript:alert('new')\">click</a>",
  "+<iframe srcdoc='<script>alert(2)</script>'></iframe>",
  "",
].join("\n");

describe("diffHtml", () => {
  const out = diffHtml(HOSTILE);

  it("escapes every line, file name and hunk header", () => {
    expect(out).not.toMatch(/<script/i);
    expect(out).not.toMatch(/<img/i);
    expect(out).not.toMatch(/<iframe/i);
    expect(out).not.toMatch(/<a href="javascript:/i);
    // No tag carries an event handler: the file name's quote cannot close an attribute.
    expect(out).not.toMatch(/<[^>]*\sonerror=/i);
    expect(out).not.toContain('"><' + "img");
    // The text as shown (word-level <ins>/<del> marks taken out) holds the hostile lines, escaped.
    const text = out.replace(/<\/?(?:ins|del)[^>]*>/g, "");
    expect(text).toContain("&lt;script&gt;alert(&#x27;xss&#x27;)&lt;&#x2F;script&gt;");
    expect(text).toContain("&lt;a href=&quot;javascript:alert(&#x27;new&#x27;)&quot;&gt;click&lt;&#x2F;a&gt;");
    expect(text).toContain("&lt;script&gt;alert(&#x27;hunk&#x27;)&lt;&#x2F;script&gt;");
    expect(text).toContain("x&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.md");
  });

  it("only links inside the page", () => {
    const hrefs = [...out.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(href).toMatch(/^#d2h-\d+$/);
  });

  it("shows a file too big to render as the library's own message", () => {
    const big = [
      "diff --git a/big.txt b/big.txt",
      "--- a/big.txt",
      "+++ b/big.txt",
      "@@ -0,0 +1,6000 @@ <b>x</b>",
      ...Array.from({ length: 6000 }, (_, i) => `+<script>${i}</script>`),
      "",
    ].join("\n");
    const html = diffHtml(big);
    expect(html).toContain("Diff too big to be displayed");
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain("<b>x</b>");
  });
});
