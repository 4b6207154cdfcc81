// python: runs code in a sandboxed Pyodide process (lib/tools/python/). Standard library only:
// no numpy, pandas or matplotlib exist in any package this product can install, and the model is
// told so up front rather than discovering it through ImportErrors.
import { z } from "zod";
import { env } from "@/lib/env";
import { mimeFor, sanitizeName } from "./artifacts";
import { type InterpreterLimits, type RunOutcome } from "./python/interpreter";
import { probeIsolation } from "./python/isolation";
import { InterpreterPool } from "./python/pool";
import { errorResult, type Availability, type Tool, type ToolArtifact, type ToolResult } from "./types";

const input = z.object({ code: z.string().min(1, "code is empty").max(100_000) });

const MAX_FILE_BYTES = 5 * 1024 * 1024;
const MAX_TOTAL_BYTES = 20 * 1024 * 1024;
const MODEL_OUTPUT_CHARS = 8_000;

let pool: InterpreterPool | undefined;
/** Code runs in flight per user (this instance). */
const running = new Map<string, number>();
const MAX_RUNS_PER_USER = 2;

function availability(): Availability {
  if (env().PYTHON_SANDBOX === "off") return { ok: false, reason: "the code interpreter is turned off on this server" };
  const iso = probeIsolation();
  return iso.ok ? { ok: true } : { ok: false, reason: iso.reason };
}

export function pythonLimits(): InterpreterLimits {
  const e = env();
  return { timeoutMs: e.PYTHON_TIMEOUT_MS, memoryMb: e.PYTHON_MEMORY_MB, maxFileBytes: MAX_FILE_BYTES, maxTotalBytes: MAX_TOTAL_BYTES };
}

/** The process's interpreter pool, started on first use (or by warmPythonPool at server start). */
export function pythonPool(): InterpreterPool | null {
  if (pool) return pool;
  const iso = probeIsolation();
  if (!iso.ok || env().PYTHON_SANDBOX === "off") return null;
  pool = new InterpreterPool(iso, pythonLimits(), env().PYTHON_POOL_SIZE);
  pool.fill();
  return pool;
}

export function warmPythonPool(): void {
  pythonPool();
}

export function closePythonPoolForTests(): void {
  pool?.close();
  pool = undefined;
}

const STATUS_TEXT: Record<RunOutcome["status"], string> = {
  ok: "",
  error: "The code raised an exception.",
  timeout: "The run was stopped: it exceeded the time limit.",
  memory: "The run was stopped: it exceeded the memory limit.",
  stopped: "The run was stopped by the user.",
  crashed: "The interpreter crashed.",
};

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}\n… (${text.length - max} more characters)` : text;
}

export function pythonResult(code: string, out: RunOutcome): ToolResult {
  const taken = new Set<string>();
  const artifacts: ToolArtifact[] = out.files.map((f) => {
    const name = sanitizeName(f.name, taken);
    return { name, mime: mimeFor(name), bytes: f.bytes };
  });
  const parts: string[] = [];
  if (out.stdout) parts.push(`stdout:\n${clip(out.stdout, MODEL_OUTPUT_CHARS)}`);
  if (out.stderr) parts.push(`stderr:\n${clip(out.stderr, MODEL_OUTPUT_CHARS / 2)}`);
  if (out.error) parts.push(`error:\n${clip(out.error, MODEL_OUTPUT_CHARS / 2)}`);
  if (STATUS_TEXT[out.status]) parts.push(STATUS_TEXT[out.status]);
  if (artifacts.length) parts.push(`Files written (offered to the user for download): ${artifacts.map((a) => a.name).join(", ")}`);
  if (out.skipped.length) parts.push(`Files left out (over the size or count limit): ${out.skipped.slice(0, 10).join(", ")}`);
  if (!parts.length) parts.push("(no output)");
  return {
    content: parts.join("\n\n"),
    display: {
      kind: "python",
      code,
      stdout: out.stdout,
      stderr: out.error ? `${out.stderr}${out.error}` : out.stderr,
      status: out.status,
      durationMs: Math.round(out.durationMs),
      files: artifacts.map((a) => ({ name: a.name, mime: a.mime, size: a.bytes.byteLength })),
    },
    artifacts,
    isError: out.status !== "ok" && out.status !== "error" ? true : undefined,
  };
}

export const pythonTool: Tool<z.infer<typeof input>> = {
  name: "python",
  label: "Ran code",
  description:
    "Run Python 3 code (Pyodide) and get its stdout, stderr and any files it writes in the working directory. " +
    "Standard library only: numpy, pandas, matplotlib and other third-party packages are NOT available. " +
    "No network access. Each call starts a fresh interpreter (no state is kept between calls). " +
    "Use print() to show results.",
  input,
  availability,
  async run({ code }, ctx) {
    const p = pythonPool();
    if (!p) return errorResult("python", "the code interpreter is not available.");
    // Every run costs a fresh interpreter's start-up: bound what one user can have in flight.
    const mine = running.get(ctx.userId) ?? 0;
    if (mine >= MAX_RUNS_PER_USER) return errorResult("python", `at most ${MAX_RUNS_PER_USER} code runs at once per user; wait for one to finish.`);
    running.set(ctx.userId, mine + 1);
    try {
      const interp = await p.take();
      const out = await interp.run(code, ctx.signal);
      return pythonResult(code, out);
    } finally {
      const left = (running.get(ctx.userId) ?? 1) - 1;
      if (left > 0) running.set(ctx.userId, left);
      else running.delete(ctx.userId);
    }
  },
};
