// One turn through the pipeline, and the cleanups its steps registered. Each step that takes
// something (a counted message, a stream slot, a saved placeholder) registers how to give it back in
// the same place it takes it, instead of one hand-written undo per caller:
// - defer(fn): undone only if the turn fails before its reply starts streaming (refund a message);
// - finally(fn): run once when the turn is over, either way (release the stream slot);
// - soon(fn): background work (a new chat's title request) that must not delay the reply: run once
//   the model has started answering (dispatched(), index.ts), or when the turn fails.
import type { SessionUser } from "@/lib/auth/session-user";

type Cleanup = () => unknown;

export class Turn {
  private readonly undo: Cleanup[] = [];
  private readonly always: Cleanup[] = [];
  private readonly later: Cleanup[] = [];
  private over = false;

  constructor(readonly user: SessionUser) {}

  defer(fn: Cleanup): void {
    this.undo.push(fn);
  }

  finally(fn: Cleanup): void {
    if (this.over) void run(fn);
    else this.always.push(fn);
  }

  soon(fn: Cleanup): void {
    this.later.push(fn);
  }

  /** The reply is under way (its first token, or its end): the background work may start. */
  dispatched(): void {
    for (const fn of this.later.splice(0)) void run(fn);
  }

  /** The turn failed before streaming: undo in reverse order, then the final cleanups. */
  async fail(): Promise<void> {
    this.dispatched();
    const undo = this.undo.splice(0).reverse();
    for (const fn of undo) await run(fn);
    this.end();
  }

  /** The reply has ended (or the turn failed): final cleanups, once. Nothing is undone any more. */
  end(): void {
    if (this.over) return;
    this.over = true;
    this.undo.length = 0;
    for (const fn of this.always.splice(0).reverse()) void run(fn);
  }
}

async function run(fn: Cleanup): Promise<void> {
  try {
    await fn();
  } catch (err) {
    console.warn("[gateway] cleanup failed", err);
  }
}
