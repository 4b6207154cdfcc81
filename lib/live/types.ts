// The contract of a live reply's event log, its stop signal and its generator's lease (DESIGN §1).
// Two implementations sit behind it: Redis (REDIS_URL set; shared by every app instance) and
// in-process (one instance). The pipeline (lib/gateway) writes and reads replies only through this.
// Events are opaque JSON to the log: the pipeline defines what a reply's events are.

/** One event as stored: its sequence number (1, 2, 3, … per reply, assigned by the single writer). */
export interface LoggedEvent<E = unknown> {
  seq: number;
  event: E;
}

export interface EventLog<E = unknown> {
  /**
   * Appends events to a reply's log. Buffered: appends in one tick go out as one round trip; seq
   * numbers are assigned here, in order, and returned. The generating instance appends; another
   * instance may append to a reply whose generator died or did not answer (its end event): those
   * events are numbered after the log's last one where the log is kept, so the seqs returned to
   * that instance are provisional.
   */
  append(replyId: string, events: E[]): number[];
  /** Every event after `afterSeq` (0 = from the start) that exists now. */
  read(replyId: string, afterSeq: number): Promise<LoggedEvent<E>[]>;
  /**
   * Replays from `afterSeq`, then tails: every event exactly once, in order, with no gap. Calls
   * `onEvents` with batches. Returns the unsubscribe function. A log that does not exist (expired,
   * never started) yields nothing; callers fall back to the database.
   */
  subscribe(replyId: string, afterSeq: number, onEvents: (events: LoggedEvent<E>[]) => void): () => void;
  /** Flushes pending appends and lets the log expire (the reply is final and saved). */
  close(replyId: string): Promise<void>;
}

export interface StopBus {
  /** Asks the generating instance, wherever it runs, to stop the reply. */
  requestStop(replyId: string): Promise<void>;
  /** Called on the generating instance when a stop for `replyId` is requested anywhere. */
  onStop(replyId: string, handler: () => void): () => void;
}

export interface ReplyLease {
  /** Held by the generating instance, renewed automatically until released. */
  acquire(replyId: string, meta: { conversationId: string; userId: string }): Promise<void>;
  release(replyId: string): Promise<void>;
  /**
   * Runs `handler` (on one instance only, claimed atomically) for each reply whose lease has lapsed:
   * its generator died. The handler marks it interrupted. Returns the function that stops watching.
   */
  watchExpired(handler: (replyId: string, meta: { conversationId: string; userId: string }) => Promise<void>): () => void;
}

export interface LiveStore<E = unknown> {
  log: EventLog<E>;
  stops: StopBus;
  leases: ReplyLease;
  /** "redis" or "memory", for the README, metrics and tests. */
  readonly kind: "redis" | "memory";
  close(): Promise<void>;
}
