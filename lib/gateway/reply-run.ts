// One assistant reply being generated, on the instance that generates it. It lives apart from any
// HTTP response: what it produces is a list of events (pipeline/events.ts) appended to the reply's
// event log (lib/live, through `append`) and handed to the listeners attached here (the request
// that started the reply). Clients elsewhere read the log. Only stop() or a failure ends it early.
import type { ContextInfo } from "@/db/schema";
import type { FinishReason } from "@/lib/chat/types";
import type { LimitNotice } from "@/lib/limits/usage-limits";
import { replicaLabel, withoutAddresses } from "@/lib/log/addresses";
import { observeTokenGap } from "@/lib/metrics/observe";
import type { LoggedReplyEvent, ReplyEvent, ReplyUsage, ToolCallInfo, ToolFile } from "./pipeline/events";
import type { ToolDisplay } from "@/lib/tools/types";

/** One finished call of a tool step: what the model is told, what the UI shows. */
export interface ToolStepResult {
  toolCallId: string;
  name: string;
  content: string;
  display: ToolDisplay;
  files: ToolFile[];
  isError: boolean;
  durationMs: number;
}

/** One model turn that ended in tool calls: its text, its calls, their results (saved as a chain). */
export interface ToolStep {
  text: string;
  calls: ToolCallInfo[];
  results: ToolStepResult[];
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
  /** "" for a public API completion: nothing is stored. */
  conversationId: string;
  userId: string;
  /** The message the reply hangs under ("" for an API completion). */
  userMessageId: string;
  model: string;
  upstreamModel: string;
  pool: string;
  replica: string;
  context: ContextInfo;
  experiment?: string | null;
  variant?: string | null;
  filter?: OutputFilter | null;
  limitNotice?: LimitNotice | null;
  /** The event log's append (seq numbers back, in order); absent: numbered here (nothing else reads it). */
  append?: (events: ReplyEvent[]) => number[];
}

export interface ReplyResult {
  finishReason: FinishReason;
  /** For the user: never an upstream's own words or addresses (those go to the log as `detail`). */
  error?: string;
  /** Internal cause of an error, logged with the reply id; never stored or sent. */
  detail?: string;
  usage?: ReplyUsage;
}

export type ReplyListener = (events: LoggedReplyEvent[]) => void;

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
  readonly limitNotice: LimitNotice | null;
  readonly abort = new AbortController();
  readonly startedAt = Date.now();
  content = "";
  firstTokenAt: number | null = null;
  lastUpstreamAt = Date.now();
  endedAt: number | null = null;
  result: ReplyResult | null = null;
  /** A blocked reply's text (released + held), kept only for the moderation log. */
  withheld: string | null = null;
  readonly filter: OutputFilter | null;
  /** Tool steps so far; `content` is then the text after the last one (the final message's). */
  readonly toolSteps: ToolStep[] = [];
  /** The public API caller's tool calls, when the reply ended with them. */
  callerCalls: ToolCallInfo[] | null = null;
  /** A tool is running: no upstream is open, so the stall check waits. */
  toolRunning = false;
  /** Settles when the running tool step has its results (a stopped tool still reports); the save waits for it. */
  toolSettled: Promise<unknown> | null = null;
  /** Length of content at the last checkpoint written to the database. */
  checkpointedLength = 0;
  private readonly append: (events: ReplyEvent[]) => number[];
  private readonly events: LoggedReplyEvent[] = [];
  private readonly listeners = new Set<ReplyListener>();
  private readonly endListeners: ((run: ReplyRun) => void)[] = [];
  /** What the end event waits for (holdEndUntil), and whether it has gone out. */
  private readonly endHolds: Promise<unknown>[] = [];
  private endSent = false;
  private endSentListeners: (() => void)[] = [];
  private answerListeners: (() => void)[] | null = [];

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
    this.limitNotice = init.limitNotice ?? null;
    let seq = 0;
    this.append = init.append ?? ((events) => events.map(() => ++seq));
    this.emit({
      type: "start",
      messageId: this.id,
      parentId: this.userMessageId || null,
      model: this.model,
      createdAt: this.startedAt,
      context: this.context,
      limitNotice: this.limitNotice,
      // Derived from the stored context, so a reply rebuilt from its row (relay.ts) says the same.
      crisisResources: this.context.safeCompletion === "crisis",
    });
  }

  get done(): boolean {
    return this.result !== null;
  }

  get ttftMs(): number | null {
    return this.firstTokenAt === null ? null : this.firstTokenAt - this.startedAt;
  }

  /** Replays every event so far, then hands on new ones as they happen. Returns the detach function. */
  attach(listener: ReplyListener): () => void {
    if (this.events.length) listener(this.events.slice());
    if (this.endSent) return () => {};
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs `fn` once the model has started answering (its first delta, text or tool call) or the reply
   * has ended, whichever comes first: for background work that must not compete with the first token.
   */
  whenAnswering(fn: () => void): void {
    if (this.answerListeners) this.answerListeners.push(fn);
    else fn();
  }

  /**
   * The upstream sent its first delta (stream.ts calls this for tool-call deltas; push() for text).
   * The listeners run on the next turn of the event loop, after that delta has been written out.
   */
  answering(): void {
    const listeners = this.answerListeners;
    if (!listeners) return;
    this.answerListeners = null;
    if (listeners.length) setImmediate(() => listeners.forEach((fn) => fn()));
  }

  onEnd(listener: (run: ReplyRun) => void): void {
    if (this.done) listener(this);
    else this.endListeners.push(listener);
  }

  push(text: string): void {
    if (this.done) return;
    const now = Date.now();
    if (this.firstTokenAt !== null) observeTokenGap(this.model, this.pool, now - this.lastUpstreamAt);
    this.lastUpstreamAt = now;
    if (this.firstTokenAt === null) {
      this.firstTokenAt = now;
      this.answering();
    }
    if (this.filter) {
      const step = this.filter.push(text);
      if (step.block) return this.contentFilter(step.block.held);
      text = step.release;
      if (!text) return;
    }
    this.content += text;
    this.emit({ type: "text", text });
  }

  end(result: ReplyResult): void {
    if (this.done) return;
    if (this.filter && this.withheld === null) {
      const step = this.filter.flush();
      if (step.block) return this.contentFilter(step.block.held);
      if (step.release) {
        this.content += step.release;
        this.emit({ type: "text", text: step.release });
      }
    }
    if (result.detail) {
      // The detail (vLLM's own words) goes to the server log, without addresses; the user gets the reference.
      console.warn(`[gateway] reply ${this.id} (${replicaLabel(this.pool, this.replica)}): ${withoutAddresses(result.detail)}`);
      result = { ...result, error: `${result.error ?? "The reply failed."} Reference: ${this.id}.`, detail: undefined };
    }
    this.result = result;
    this.endedAt = Date.now();
    const u = result.usage;
    const event: ReplyEvent = { type: "end", finishReason: result.finishReason, error: result.error ?? null, model: this.model, usage: u ?? null };
    this.answering();
    for (const listener of this.endListeners.splice(0)) listener(this);
    const holds = this.endHolds.splice(0);
    if (!holds.length) this.sendEnd(event);
    else void Promise.allSettled(holds).then(() => this.sendEnd(event));
  }

  /**
   * The end event waits for `until` (finish.ts: the reply's final state in the database), so a client
   * that has seen the end finds the reply saved: its next message in the chat is not refused as "a
   * reply is still being written", and a reload shows the whole reply. Call it from an onEnd listener.
   */
  holdEndUntil(until: Promise<unknown>): void {
    if (!this.endSent) this.endHolds.push(until);
  }

  /** Runs `fn` once the end event has gone out to the event log and every attached client. */
  afterEndSent(fn: () => void): void {
    if (this.endSent) fn();
    else this.endSentListeners.push(fn);
  }

  private sendEnd(event: ReplyEvent): void {
    this.emit(event);
    this.endSent = true;
    this.listeners.clear();
    for (const fn of this.endSentListeners.splice(0)) fn();
  }

  /**
   * The model ended its turn with tool calls: its text so far becomes the step's (the output filter
   * is flushed first; a block ends the reply) and a `tool-call` event goes out. False when ended.
   */
  beginToolStep(calls: ToolCallInfo[]): ToolStep | null {
    if (this.done) return null;
    if (this.filter && this.withheld === null) {
      const step = this.filter.flush();
      if (step.block) {
        this.contentFilter(step.block.held);
        return null;
      }
      if (step.release) {
        this.content += step.release;
        this.emit({ type: "text", text: step.release });
      }
    }
    const firstIndex = this.toolSteps.reduce((n, s) => n + s.calls.length, 0);
    const step: ToolStep = { text: this.content, calls, results: [] };
    this.toolSteps.push(step);
    this.content = "";
    this.checkpointedLength = 0;
    this.emit({ type: "tool-call", step: this.toolSteps.length, calls, firstIndex });
    return step;
  }

  /** A call's result: kept for the save (also after a stop: every call keeps a result) and sent to every client. */
  toolResult(result: ToolStepResult, last: boolean): void {
    const step = this.toolSteps.at(-1);
    if (!step) return;
    step.results.push(result);
    if (this.done) return;
    const { toolCallId, name, isError, durationMs, display, files } = result;
    this.emit({ type: "tool-result", step: this.toolSteps.length, toolCallId, name, isError, durationMs, display, files, last });
  }

  /** The caller's own tools (the public API): their calls are the reply; nothing runs here. */
  callerToolCalls(calls: ToolCallInfo[]): void {
    if (this.done) return;
    this.callerCalls = calls;
    this.emit({ type: "tool-call", step: 1, calls });
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
    this.emit({ type: "text", text: shown });
    this.end({ finishReason: "content_filter" });
    this.abort.abort();
  }

  fail(error: string, detail?: string): void {
    this.end({ finishReason: "error", error, detail });
    this.abort.abort();
  }

  private emit(event: ReplyEvent): void {
    const [seq] = this.append([event]);
    const logged = [{ seq, event }];
    this.events.push(logged[0]);
    for (const listener of this.listeners) listener(logged);
  }
}
