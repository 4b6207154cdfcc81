// One sandboxed Pyodide process (interpreter-child.mjs) as the parent sees it: started warm, used
// for exactly one run, then killed. Limits held here: wall clock (interrupt, then SIGKILL), memory
// (a watchdog on resident memory, WebAssembly included), start-up time.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import type { Isolation } from "./isolation";
import { treeRssBytes } from "./proc-memory";

export interface InterpreterLimits {
  timeoutMs: number;
  memoryMb: number;
  maxFileBytes: number;
  maxTotalBytes: number;
}

export type RunStatus = "ok" | "error" | "timeout" | "memory" | "stopped" | "crashed";

export interface RunOutcome {
  status: RunStatus;
  stdout: string;
  stderr: string;
  /** Python's traceback (its last 4000 characters) when the code raised. */
  error: string | null;
  durationMs: number;
  files: { name: string; bytes: Uint8Array }[];
  /** Files left out for the count or size caps. */
  skipped: string[];
}

const START_TIMEOUT_MS = 30_000;
const KILL_GRACE_MS = 1_000;
const WATCH_MS = 50;
/** Resident memory of an idle interpreter (measured: ~165 MB) plus margin, besides the WebAssembly heap. */
const BASELINE_MB = 180;
const MAX_OUTPUT = 100_000;
const NICE_BIN = ["/usr/bin/nice", "/bin/nice"].find((p) => fs.existsSync(p)) ?? null;

/** Paths resolved from the app's root (npm start runs there), not from a bundle's location. */
function paths(): { pyodideDir: string; childScript: string } {
  const root = process.cwd();
  const pyodideDir = path.dirname(createRequire(path.join(root, "package.json")).resolve("pyodide/package.json"));
  return { pyodideDir, childScript: path.join(root, "lib/tools/python/interpreter-child.mjs") };
}

interface ChildMessage {
  type: "ready" | "result" | "fatal";
  status?: "ok" | "error" | "interrupted" | "memory";
  stdout?: string;
  stderr?: string;
  error?: string | null;
  durationMs?: number;
  files?: { name: string; bytes: Uint8Array }[];
  skipped?: string[];
  message?: string;
}

export interface SpawnOptions {
  mode: "run" | "snapshot";
  /** The only directory the process may write (its working directory). */
  dir: string;
  /** Snapshot file to start from (run) or to write (snapshot); null = plain start-up. */
  snapshot: string | null;
}

/** Starts interpreter-child.mjs inside the isolation: own netns, permission model, empty env. */
export function spawnSandboxed(iso: Extract<Isolation, { ok: true }>, limits: InterpreterLimits, opts: SpawnOptions): ChildProcess {
  const { pyodideDir, childScript } = paths();
  // WebAssembly pages (64 KiB) the code may grow to: Python then raises MemoryError itself; the
  // watchdog on resident memory is the hard stop if anything else grows.
  const wasmPages = Math.max(256, Math.floor((limits.memoryMb - BASELINE_MB) * 16));
  const nodeArgs = [
    iso.permissionFlag,
    `--allow-fs-read=${pyodideDir}`,
    `--allow-fs-read=${childScript}`,
    ...(opts.snapshot && opts.mode === "run" ? [`--allow-fs-read=${opts.snapshot}`] : []),
    `--allow-fs-write=${opts.dir}`,
    "--allow-worker",
    "--disallow-code-generation-from-strings",
    `--wasm-max-mem-pages=${wasmPages}`,
    "--max-old-space-size=128",
    "--no-warnings",
    childScript,
    opts.mode,
    pyodideDir,
    opts.snapshot ?? "",
    String(limits.maxFileBytes),
    String(limits.maxTotalBytes),
  ];
  // Start-ups and user code yield the CPU to the app's own work (streaming replies): `nice` before
  // exec, so every thread of the interpreter inherits it.
  const argv = [...(NICE_BIN ? [NICE_BIN, "-n", "10"] : []), ...iso.prefix, process.execPath, ...nodeArgs];
  const child = spawn(argv[0], argv.slice(1), {
    cwd: opts.dir,
    env: {} as NodeJS.ProcessEnv, // nothing of the app's environment
    stdio: ["ignore", "ignore", "ignore", "ipc"],
    serialization: "advanced",
  });
  return child;
}

export class Interpreter {
  readonly ready: Promise<void>;
  /** Resolves when the process has exited (killed after its run, or died). */
  readonly gone: Promise<void>;
  private markGone!: () => void;
  private readonly child: ChildProcess;
  private readonly dir: string;
  private exited = false;
  private killedFor: "memory" | null = null;
  private watch: NodeJS.Timeout;
  private onMessage: ((m: ChildMessage) => void) | null = null;
  private onExit: (() => void) | null = null;
  private used = false;
  /** Started and waiting for code. */
  isReady = false;

  constructor(
    iso: Extract<Isolation, { ok: true }>,
    private readonly limits: InterpreterLimits,
    snapshot: string | null = null,
  ) {
    this.gone = new Promise((resolve) => (this.markGone = resolve));
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "chatgate-py-"));
    this.child = spawnSandboxed(iso, limits, { mode: "run", dir: this.dir, snapshot });
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.kill();
        reject(new Error("the code interpreter did not start in time"));
      }, START_TIMEOUT_MS);
      this.onMessage = (m) => {
        if (m.type !== "ready") return;
        clearTimeout(timer);
        this.onMessage = null;
        resolve();
      };
      this.onExit = () => {
        clearTimeout(timer);
        reject(new Error("the code interpreter exited while starting"));
      };
    });
    this.ready.then(
      () => void (this.isReady = true),
      () => {}, // a pool that never takes this one must not see an unhandled rejection
    );
    this.child.on("message", (m: ChildMessage) => this.onMessage?.(m));
    this.child.on("error", () => this.handleExit());
    this.child.on("exit", () => this.handleExit());
    this.watch = setInterval(() => this.checkMemory(), WATCH_MS);
    this.watch.unref();
  }

  get alive(): boolean {
    return !this.exited;
  }

  private checkMemory(): void {
    if (this.exited || !this.child.pid) return;
    if (treeRssBytes(this.child.pid) > this.limits.memoryMb * 1024 * 1024) {
      this.killedFor = "memory";
      this.kill();
    }
  }

  private handleExit(): void {
    if (this.exited) return;
    this.exited = true;
    clearInterval(this.watch);
    fs.rm(this.dir, { recursive: true, force: true }, () => {});
    this.onExit?.();
    this.markGone();
  }

  kill(): void {
    if (!this.exited) this.child.kill("SIGKILL");
  }

  /** Runs `code` once; the interpreter is dead afterwards whatever happened. */
  async run(code: string, signal: AbortSignal): Promise<RunOutcome> {
    if (this.used) throw new Error("an interpreter runs code once");
    this.used = true;
    await this.ready;
    const started = performance.now();
    const { timeoutMs } = this.limits;
    let ending: "timeout" | "stopped" | null = null;
    try {
      return await new Promise<RunOutcome>((resolve) => {
        const base = (status: RunStatus, m: Partial<ChildMessage> = {}): RunOutcome => ({
          status,
          stdout: (m.stdout ?? "").slice(0, MAX_OUTPUT),
          stderr: (m.stderr ?? "").slice(0, MAX_OUTPUT),
          error: m.error ?? null,
          durationMs: m.durationMs ?? performance.now() - started,
          files: m.files ?? [],
          skipped: m.skipped ?? [],
        });
        let hardKill: NodeJS.Timeout | undefined;
        const deadline = setTimeout(() => {
          ending = "timeout";
          hardKill = setTimeout(() => this.kill(), KILL_GRACE_MS); // the child interrupts itself at the deadline
        }, timeoutMs);
        const stop = () => {
          ending ??= "stopped";
          this.child.send({ type: "interrupt" });
          hardKill ??= setTimeout(() => this.kill(), KILL_GRACE_MS);
        };
        const finish = (out: RunOutcome) => {
          clearTimeout(deadline);
          clearTimeout(hardKill);
          signal.removeEventListener("abort", stop);
          resolve(out);
        };
        this.onMessage = (m) => {
          if (m.type !== "result") return;
          const status: RunStatus = m.status === "interrupted" ? (ending ?? "stopped") : (m.status ?? "error");
          finish(base(status, m));
        };
        this.onExit = () => finish(base(this.killedFor ?? ending ?? "crashed"));
        if (signal.aborted) return finish(base("stopped"));
        signal.addEventListener("abort", stop, { once: true });
        this.child.send({ type: "run", code, timeoutMs });
      });
    } finally {
      this.kill();
    }
  }
}
