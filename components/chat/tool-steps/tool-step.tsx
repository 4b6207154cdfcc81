"use client";

import { clsx } from "clsx";
import { ChevronRight, Code2, Globe, ImageIcon, LoaderCircle } from "lucide-react";
import { useId, useState, type ReactNode } from "react";
import type { ToolStepOutput } from "@/lib/chat/types";
import { CodeRun } from "./code-run";
import { FileLinks, type FileHref } from "./file-links";
import { asDisplay, stepLabel, type ToolDisplay } from "./labels";
import { StepImages } from "./step-images";
import { WebPages, WebResults } from "./web-results";

/** A dynamic-tool part of a message (AI SDK), as the chat stream and the saved path give it. */
export interface ToolStepPart {
  toolName: string;
  toolCallId: string;
  state: string;
  input?: unknown;
  output?: unknown;
}

/**
 * One tool step inside the assistant's article: a disclosure labelled by what it did ("Ran code",
 * "Read …"), open while it runs and collapsed once done (the user can open it again).
 */
export function ToolStep({ part, replyDone, fileHref }: { part: ToolStepPart; replyDone: boolean; fileHref: FileHref }) {
  const output = part.state === "output-available" ? (part.output as ToolStepOutput | undefined) : undefined;
  const running = !output && !replyDone;
  const stopped = !output && replyDone;
  const display = asDisplay(output?.display);
  const [open, setOpen] = useState(running);
  // Collapses when the step finishes (state adjusted during render, as React recommends over an effect).
  const [wasRunning, setWasRunning] = useState(running);
  if (wasRunning !== running) {
    setWasRunning(running);
    if (!running) setOpen(false);
  }
  const panel = useId();
  const label = stepLabel(part.toolName, part.input, display, { running, stopped, failed: output?.isError === true });
  return (
    <div className="my-2 rounded-xl border border-border bg-subtle text-sm">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={panel}
        onClick={() => setOpen((o) => !o)}
        className="flex w-full items-center gap-2 rounded-xl px-3 py-2 text-left text-muted-foreground hover:text-foreground"
      >
        <ChevronRight className={clsx("size-4 shrink-0 transition-transform", open && "rotate-90")} aria-hidden />
        {running ? <LoaderCircle className="size-4 shrink-0 animate-spin" aria-hidden /> : <ToolIcon name={part.toolName} />}
        <span className="min-w-0 flex-1 truncate">{label}</span>
        {output?.durationMs ? <span className="shrink-0 text-xs tabular-nums">{formatDuration(output.durationMs)}</span> : null}
      </button>
      <div id={panel} hidden={!open} className="border-t border-border px-3 py-2">
        <StepBody part={part} output={output} display={display} stopped={stopped} fileHref={fileHref} />
      </div>
      <StepImages files={output?.files ?? []} alt={display?.kind === "generate_image" ? display.prompt : ""} fileHref={fileHref} />
    </div>
  );
}

function StepBody({ part, output, display, stopped, fileHref }: { part: ToolStepPart; output?: ToolStepOutput; display: ToolDisplay | null; stopped: boolean; fileHref: FileHref }): ReactNode {
  const files = output?.files ?? [];
  if (display?.kind === "python") return <CodeRun display={display} files={files} fileHref={fileHref} />;
  if (display?.kind === "web_search") return <WebResults display={display} />;
  if (display?.kind === "fetch_url") return <WebPages display={display} />;
  if (display?.kind === "generate_image") {
    // The image itself shows under the step, open or not (StepImages); the panel holds the prompt and the download.
    return (
      <div className="flex flex-col gap-2">
        <p className="text-muted-foreground">{display.prompt}</p>
        <FileLinks files={files} fileHref={fileHref} />
      </div>
    );
  }
  const input = part.input === undefined ? "" : typeof part.input === "string" ? part.input : JSON.stringify(part.input, null, 2);
  return (
    <div className="flex flex-col gap-2">
      {input && input !== "{}" ? <pre className="overflow-x-auto whitespace-pre-wrap break-words text-xs">{input}</pre> : null}
      {display?.kind === "error" ? <p role="note">{display.message}</p> : null}
      {!display && output?.content ? <pre className="overflow-x-auto whitespace-pre-wrap break-words text-xs">{output.content}</pre> : null}
      {stopped ? <p className="text-muted-foreground">Stopped.</p> : null}
    </div>
  );
}

function ToolIcon({ name }: { name: string }) {
  if (name === "python") return <Code2 className="size-4 shrink-0" aria-hidden />;
  if (name === "generate_image") return <ImageIcon className="size-4 shrink-0" aria-hidden />;
  return <Globe className="size-4 shrink-0" aria-hidden />;
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
