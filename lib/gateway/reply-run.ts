// One assistant reply being generated. It lives apart from any HTTP response: clients subscribe
// and detach (a browser disconnect is not a cancel); only stop() or a failure ends it early.
import type { ContextInfo } from "@/db/schema";
import type { FinishReason } from "@/lib/chat/types";
import type { LimitNotice } from "@/lib/limits/usage-limits";
import { observeTokenGap } from "@/lib/metrics/observe";
import type { UpstreamUsage } from "./upstream";

export interface ReplySubscriber {
  delta(text: string): void;
  end(run: ReplyRun): void;
  heartbeat(): void;
  lastWriteAt: number;
}

/**
 * Output moderation hook (lib/safety/output.ts): sees every upstream delta and decides what may be
 * shown now; a block ends the reply with finish_reason "content_filter".
 */
export interface OutputFilter {
  push(text: string): { release: string; block: { held: string } | null };
  flush(): { release: string; block: { held: string } | null };
  /** Shown (and saved) instead of a blocked reply. */
  readonly message: string;
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
  filter?: OutputFilter | null;
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
  /** A blocked reply's text (released + held), kept only for the moderation log. */
  withheld: string | null = null;
  readonly filter: OutputFilter | null;
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
    this.filter = init.filter ?? null;
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
    if (this.firstTokenAt !== null) observeTokenGap(this.model, this.pool, now - this.lastUpstreamAt);
    this.lastUpstreamAt = now;
    this.firstTokenAt ??= now;
    if (this.filter) {
      const step = this.filter.push(text);
      if (step.block) return this.contentFilter(step.block.held);
      text = step.release;
      if (!text) return;
    }
    this.content += text;
    for (const sub of this.subs) sub.delta(text);
  }

  end(result: ReplyResult): void {
    if (this.done) return;
    if (this.filter && this.withheld === null) {
      const step = this.filter.flush();
      if (step.block) return this.contentFilter(step.block.held);
      if (step.release) {
        this.content += step.release;
        for (const sub of this.subs) sub.delta(step.release);
      }
    }
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

  /** The output filter blocked: the user gets the safety message instead, and the GPU is freed. */
  private contentFilter(held: string): void {
    this.withheld = this.content + held;
    const shown = this.content ? `\n\n${this.filter!.message}` : this.filter!.message;
    this.content = this.filter!.message;
    for (const sub of this.subs) sub.delta(shown);
    this.end({ finishReason: "content_filter" });
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
