// One assistant reply being generated. It lives apart from any HTTP response: clients subscribe
// and detach (a browser disconnect is not a cancel); only stop() or a failure ends it early.
import type { ContextInfo } from "@/db/schema";
import type { FinishReason } from "@/lib/chat/types";
import type { LimitNotice } from "@/lib/limits/usage-limits";
import type { UpstreamUsage } from "./upstream";

export interface ReplySubscriber {
  delta(text: string): void;
  end(run: ReplyRun): void;
  heartbeat(): void;
  lastWriteAt: number;
}

export interface ReplyRunInit {
  id: string;
  conversationId: string;
  userId: string;
  userMessageId: string;
  model: string;
  upstreamModel: string;
  pool: string;
  replica: string;
  context: ContextInfo;
  experiment?: string | null;
  variant?: string | null;
}

export interface ReplyResult {
  finishReason: FinishReason;
  error?: string;
  usage?: UpstreamUsage;
}

export class ReplyRun {
  readonly id: string;
  readonly conversationId: string;
  readonly userId: string;
  readonly userMessageId: string;
  // Routing may change these before the first token: a retry on another replica, a fallback model.
  model: string;
  upstreamModel: string;
  pool: string;
  replica: string;
  readonly context: ContextInfo;
  readonly experiment: string | null;
  readonly variant: string | null;
  readonly abort = new AbortController();
  readonly startedAt = Date.now();
  content = "";
  firstTokenAt: number | null = null;
  lastUpstreamAt = Date.now();
  endedAt: number | null = null;
  result: ReplyResult | null = null;
  /** Set when a usage limit sent this reply to the tier's fallback model (shown in the chat UI). */
  limitNotice: LimitNotice | null = null;
  /** Length of content at the last checkpoint written to the database. */
  checkpointedLength = 0;
  private readonly subs = new Set<ReplySubscriber>();
  private readonly endListeners: ((run: ReplyRun) => void)[] = [];

  constructor(init: ReplyRunInit) {
    this.id = init.id;
    this.conversationId = init.conversationId;
    this.userId = init.userId;
    this.userMessageId = init.userMessageId;
    this.model = init.model;
    this.upstreamModel = init.upstreamModel;
    this.pool = init.pool;
    this.replica = init.replica;
    this.context = init.context;
    this.experiment = init.experiment ?? null;
    this.variant = init.variant ?? null;
  }

  get done(): boolean {
    return this.result !== null;
  }

  get ttftMs(): number | null {
    return this.firstTokenAt === null ? null : this.firstTokenAt - this.startedAt;
  }

  /** Replays what exists so far, then streams live. Returns the detach function. */
  subscribe(sub: ReplySubscriber): () => void {
    if (this.content) sub.delta(this.content);
    if (this.done) {
      sub.end(this);
      return () => {};
    }
    this.subs.add(sub);
    return () => this.subs.delete(sub);
  }

  onEnd(listener: (run: ReplyRun) => void): void {
    this.endListeners.push(listener);
  }

  push(text: string): void {
    if (this.done) return;
    const now = Date.now();
    this.lastUpstreamAt = now;
    this.firstTokenAt ??= now;
    this.content += text;
    for (const sub of this.subs) sub.delta(text);
  }

  end(result: ReplyResult): void {
    if (this.done) return;
    this.result = result;
    this.endedAt = Date.now();
    for (const sub of this.subs) sub.end(this);
    this.subs.clear();
    for (const listener of this.endListeners) listener(this);
  }

  /** "Stop generating": keep the partial reply and free the GPU. */
  stop(): void {
    this.end({ finishReason: "aborted" });
    this.abort.abort();
  }

  fail(error: string): void {
    this.end({ finishReason: "error", error });
    this.abort.abort();
  }

  heartbeat(now: number, everyMs: number): void {
    for (const sub of this.subs) if (now - sub.lastWriteAt >= everyMs) sub.heartbeat();
  }
}
