// Warm interpreters, so a run does not wait for Pyodide's 2–3 s start-up. Policy: every
// interpreter runs code exactly once and is then killed; the pool starts a fresh one in the
// background. Reusing one (even for the same user after a "reset") would carry state from one run
// to the next — Python globals, sys.modules, monkey-patched builtins, files in its in-memory file
// system, JS globals reached through the ffi — and no reset can prove all of that gone. Discarding
// makes "one interpreter never serves two users" hold by construction and costs nothing on the
// request path, only background CPU (the start-up) per run.
import { Interpreter, type InterpreterLimits } from "./interpreter";
import type { Isolation } from "./isolation";
import { makeSnapshot } from "./snapshot";

export class InterpreterPool {
  private warm: Interpreter[] = [];
  /** Every interpreter alive (warm, starting or running): each holds ~165 MB. */
  private readonly live = new Set<Interpreter>();
  private waiters: (() => void)[] = [];
  private closed = false;
  private snapshot: string | null = null;
  /** Resolves once the start-up snapshot is made (or failed); interpreters start after it. */
  private readonly prepared: Promise<void>;

  constructor(
    private readonly iso: Extract<Isolation, { ok: true }>,
    readonly limits: InterpreterLimits,
    private readonly size: number,
    /** Interpreters alive at once; a run beyond it waits for one to exit. */
    private readonly maxLive = size + 4,
  ) {
    this.prepared = makeSnapshot(iso, limits).then((file) => {
      this.snapshot = file;
    });
  }

  private start(): Interpreter {
    const interp = new Interpreter(this.iso, this.limits, this.snapshot);
    this.live.add(interp);
    // No refill from here: an interpreter that cannot start would otherwise respawn in a loop.
    void interp.gone.then(() => {
      this.live.delete(interp);
      this.waiters.shift()?.();
    });
    return interp;
  }

  private async slot(): Promise<void> {
    while (this.live.size >= this.maxLive && !this.closed) await new Promise<void>((r) => this.waiters.push(r));
  }

  /** Starts interpreters until `size` are warm or warming (after the snapshot is ready). */
  fill(): void {
    void this.prepared.then(() => this.fillNow());
  }

  private fillNow(): void {
    if (this.closed) return;
    this.warm = this.warm.filter((i) => i.alive);
    while (this.warm.length < this.size && this.live.size < this.maxLive) {
      const interp = this.start();
      this.warm.push(interp);
      // One that dies while warming is replaced at the next take.
      interp.ready.catch(() => {});
    }
  }

  /**
   * An interpreter for one run, preferring one that is already warm. The caller runs it once;
   * it is then dead, and the pool has already started its replacement.
   */
  async take(): Promise<Interpreter> {
    await this.prepared;
    this.warm = this.warm.filter((i) => i.alive);
    let interp = this.warm.shift();
    if (!interp) {
      await this.slot();
      interp = this.warm.shift() ?? this.start();
    }
    this.fillNow();
    try {
      await interp.ready;
      return interp;
    } catch {
      // A warm one that failed to start: one fresh attempt, then the error goes to the caller.
      await this.slot();
      const fresh = this.start();
      await fresh.ready;
      return fresh;
    }
  }

  /** Resolves when every interpreter of the pool has started (benchmarks wait for a full pool). */
  async whenWarm(): Promise<void> {
    await this.prepared;
    this.fillNow();
    await Promise.allSettled(this.warm.map((i) => i.ready));
  }

  /** Interpreters warm or warming (for tests and metrics). */
  get warmCount(): number {
    return this.warm.filter((i) => i.alive).length;
  }

  close(): void {
    this.closed = true;
    for (const i of this.live) i.kill();
    this.warm = [];
    for (const wake of this.waiters.splice(0)) wake();
  }
}
