"use client";

import { Check, Copy } from "lucide-react";
import { useEffect, useMemo, useState } from "react";
import { useCopy } from "./use-copy";

type Highlight = (code: string, language: string) => string | null;

let loaded: Highlight | null = null;
let loading: Promise<Highlight> | null = null;
function loadHighlighter(): Promise<Highlight> {
  loading ??= import("./highlight").then((m) => (loaded = m.highlight));
  return loading;
}

function useHighlighter(enabled: boolean): Highlight | null {
  const [fn, setFn] = useState<Highlight | null>(() => loaded);
  useEffect(() => {
    if (!enabled || fn) return;
    let live = true;
    loadHighlighter().then(
      (f) => {
        if (live) setFn(() => f);
      },
      () => undefined, // highlighting is an enhancement; plain code stays readable
    );
    return () => {
      live = false;
    };
  }, [enabled, fn]);
  return fn;
}

export function CodeBlock({ code, language }: { code: string; language: string | null }) {
  const highlight = useHighlighter(language !== null);
  const html = useMemo(
    () => (highlight && language ? highlight(code, language) : null),
    [highlight, code, language],
  );
  const { copied, copy } = useCopy();
  return (
    <div className="code-block">
      <div className="code-block-header flex items-center justify-between gap-2 py-1 pl-3.5 pr-1.5 text-xs text-muted-foreground">
        <span className="font-mono">{language ?? "text"}</span>
        <button
          type="button"
          aria-label="Copy code"
          onClick={() => copy(code)}
          className="inline-flex items-center gap-1.5 rounded-md px-2 py-1 hover:bg-accent hover:text-foreground"
        >
          {copied ? <Check className="size-3.5" aria-hidden /> : <Copy className="size-3.5" aria-hidden />}
          <span aria-hidden>{copied ? "Copied" : "Copy"}</span>
        </button>
      </div>
      <pre>
        {html !== null ? (
          <code className={`hljs language-${language}`} dangerouslySetInnerHTML={{ __html: html }} />
        ) : (
          <code className={language ? `language-${language}` : undefined}>{code}</code>
        )}
      </pre>
    </div>
  );
}
