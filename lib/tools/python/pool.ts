// Warm interpreters, so a run does not wait for Pyodide's 2–3 s start-up. Policy: every
// interpreter runs code exactly once and is then killed; the pool starts a fresh one in the
// background. Reusing one (even for the same user after a "reset") would carry state from one run
// to the next — Python globals, sys.modules, monkey-patched builtins, files in its in-memory file
// system, JS globals reached through the ffi — and no reset can prove all of that gone. Discarding
// makes "one interpreter never serves two users" hold by construction and costs nothing on the
// request path, only background CPU (the start-up) per run.
import { Interpreter, type InterpreterLimits } from "./interpreter";
import type { Isolation } from "./isolation";

export class InterpreterPool {
  private warm: Interpreter[] = [];
  private closed = false;

  constructor(
    private readonly iso: Extract<Isolation, { ok: true }>,
    readonly limits: InterpreterLimits,
    private readonly size: number,
  ) {}

  /** Starts interpreters until `size` are warm or warming. */
  fill(): void {
    if (this.closed) return;
    this.warm = this.warm.filter((i) => i.alive);
    while (this.warm.length < this.size) {
      const interp = new Interpreter(this.iso, this.limits);
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
    this.warm = this.warm.filter((i) => i.alive);
    let interp = this.warm.shift();
    if (!interp) interp = new Interpreter(this.iso, this.limits);
    this.fill();
    try {
      await interp.ready;
      return interp;
    } catch {
      // A warm one that failed to start: one fresh attempt, then the error goes to the caller.
      const fresh = new Interpreter(this.iso, this.limits);
      await fresh.ready;
      return fresh;
    }
  }

  /** Interpreters warm or warming (for tests and metrics). */
  get warmCount(): number {
    return this.warm.filter((i) => i.alive).length;
  }

  close(): void {
    this.closed = true;
    for (const i of this.warm) i.kill();
    this.warm = [];
  }
}
