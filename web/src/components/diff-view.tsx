/** The diff of the task's branch against its base, file by file, with syntax highlighting (diff2html, which escapes the diff: see diff-html.ts). */
import { Diff2HtmlUI } from "diff2html/lib-esm/ui/js/diff2html-ui-slim.js";
import { useEffect, useRef } from "react";
import { DIFF_CONFIG } from "../diff-html.ts";

export function DiffView({ diff }: { diff: string }) {
  const target = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!target.current) return;
    const ui = new Diff2HtmlUI(target.current, diff, {
      ...DIFF_CONFIG,
      highlight: true,
      synchronisedScroll: false,
      fileListToggle: true,
      fileListStartVisible: true,
      fileContentToggle: true,
    });
    ui.draw();
    return () => {
      if (target.current) target.current.textContent = "";
    };
  }, [diff]);
  return <div ref={target} data-testid="diff" className="overflow-x-auto text-sm" />;
}
