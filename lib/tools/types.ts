// The contract between the tool-calling loop and the tools (README.md beside this file).
import type { z } from "zod";

/** How a run is told who it serves and when to stop (Stop in the UI aborts `signal`). */
export interface ToolContext {
  userId: string;
  signal: AbortSignal;
}

/** A file a tool produced: stored like an upload, offered for download, shown inline if an image. */
export interface ToolArtifact {
  /** Sanitised: [A-Za-z0-9._-], no leading dot, at most 100 characters, unique within one result. */
  name: string;
  mime: string;
  bytes: Uint8Array;
}

export interface FileInfo {
  name: string;
  mime: string;
  size: number;
}

/** What the UI shows for one step; `content` is what the model sees. */
export type ToolDisplay =
  | {
      kind: "python";
      code: string;
      stdout: string;
      stderr: string;
      /** ok, error (Python raised), timeout, memory, stopped, crashed. */
      status: string;
      durationMs: number;
      files: FileInfo[];
    }
  | { kind: "web_search"; query: string; results: { title: string; url: string; snippet: string }[] }
  | { kind: "fetch_url"; url: string; pages: { title: string; url: string }[] }
  | { kind: "generate_image"; prompt: string; images: FileInfo[] }
  | { kind: "error"; tool: string; message: string };

export interface ToolResult {
  content: string;
  display: ToolDisplay;
  artifacts?: ToolArtifact[];
  /** True when the tool did not do its job (bad arguments, unavailable, failed); the model is told. */
  isError?: boolean;
}

export type Availability = { ok: true } | { ok: false; reason: string };

export interface Tool<I = unknown> {
  name: string;
  /** The label of the UI's step ("Ran code", …, DESIGN §6). */
  label: string;
  description: string;
  input: z.ZodType<I>;
  /** Whether the host can run it now (configured, sandbox available); the reason is shown to users. */
  availability(): Availability;
  run(input: I, ctx: ToolContext): Promise<ToolResult>;
}

/** OpenAI's `tools` entry. */
export interface OpenAITool {
  type: "function";
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

export function errorResult(tool: string, message: string): ToolResult {
  return { content: `Error: ${message}`, display: { kind: "error", tool, message }, isError: true };
}
