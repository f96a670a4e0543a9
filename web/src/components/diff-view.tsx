/** The diff of the task's branch against its base, file by file, with syntax highlighting (diff2html, which escapes the diff: see diff-html.ts). */
import { Diff2HtmlUI } from "diff2html/lib-esm/ui/js/diff2html-ui-slim.js";
import { useEffect, useRef } from "react";
import { DIFF_CONFIG } from "../diff-html.ts";

export function DiffView({ diff }: { diff: string }) {
  const target = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = target.current;
    if (!element) return;
    const ui = new Diff2HtmlUI(element, diff, {
      ...DIFF_CONFIG,
      highlight: true,
      synchronisedScroll: false,
      // The list's show/hide switches are links without an address (not reachable by keyboard): the list stays shown.
      fileListToggle: false,
      fileContentToggle: true,
    });
    ui.draw();
    return () => {
      element.textContent = "";
    };
  }, [diff]);
  return <div ref={target} data-testid="diff" className="overflow-x-auto text-sm" />;
}
