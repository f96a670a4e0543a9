/**
 * The diff as HTML, from diff2html: every piece of the diff (file names,
 * hunk headers, lines) is escaped by diff2html itself (escapeForHtml in its
 * renderers, {{ }} in its templates), which test/web/diff-html.test.ts
 * checks with a hostile diff. This is the only HTML the pages insert that
 * carries task text; nothing else is put into innerHTML.
 */
import { type Diff2HtmlConfig, html } from "diff2html";

export const DIFF_CONFIG: Diff2HtmlConfig = {
  outputFormat: "line-by-line",
  drawFileList: true,
  matching: "none",
  // A huge file is shown as "too big" instead of freezing the page.
  diffMaxChanges: 5000,
  diffMaxLineLength: 5000,
  renderNothingWhenEmpty: false,
};

export function diffHtml(diff: string): string {
  return html(diff, DIFF_CONFIG);
}
