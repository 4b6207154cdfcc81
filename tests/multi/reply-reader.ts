// Reads one reply's AI SDK UI message stream (SSE) as a browser tab would, keeping what the suite
// checks: every event's `id:` (the reply's sequence numbers), the text deltas, how it ended.
import { createParser } from "eventsource-parser";

export interface Delta {
  seq: number;
  text: string;
}

export class ReplyReader {
  readonly seqs: number[] = [];
  readonly deltas: Delta[] = [];
  finishReason: string | null = null;
  errorText: string | null = null;
  /** [DONE] seen, or the response ended. */
  ended = false;
  /** The server closed the stream without [DONE] (or it failed). */
  broken = false;
  private abortController = new AbortController();

  private constructor(readonly status: number, readonly servedBy: string | null) {}

  static async open(url: string, init: RequestInit = {}): Promise<ReplyReader> {
    const ac = new AbortController();
    const res = await fetch(url, { ...init, signal: ac.signal });
    const reader = new ReplyReader(res.status, res.headers.get("x-served-by"));
    reader.abortController = ac;
    if (res.status !== 200 || !res.body) {
      reader.ended = true;
      await res.arrayBuffer().catch(() => {});
      return reader;
    }
    void reader.pump(res.body);
    return reader;
  }

  get text(): string {
    return this.deltas.map((d) => d.text).join("");
  }

  lastSeq(): number {
    return this.seqs[this.seqs.length - 1] ?? 0;
  }

  abort(): void {
    this.abortController.abort();
  }

  async until(check: (r: ReplyReader) => boolean, ms: number, what = "the reply"): Promise<void> {
    const end = Date.now() + ms;
    while (!check(this)) {
      if (Date.now() > end) throw new Error(`${what}: condition not met in ${ms} ms (${this.deltas.length} deltas, ended=${this.ended})`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private async pump(body: ReadableStream<Uint8Array>): Promise<void> {
    const parser = createParser({
      onEvent: (e) => {
        const seq = e.id !== undefined && e.id !== "" ? Number(e.id) : null;
        if (seq !== null) this.seqs.push(seq);
        if (e.data === "[DONE]") {
          this.ended = true;
          return;
        }
        let msg: { type?: string; delta?: string; errorText?: string; messageMetadata?: { finishReason?: string | null } };
        try {
          msg = JSON.parse(e.data);
        } catch {
          return;
        }
        if (msg.type === "text-delta" && typeof msg.delta === "string") this.deltas.push({ seq: seq ?? -1, text: msg.delta });
        if (msg.type === "message-metadata" && msg.messageMetadata?.finishReason) this.finishReason = msg.messageMetadata.finishReason;
        if (msg.type === "error") this.errorText = msg.errorText ?? "";
      },
    });
    const decoder = new TextDecoder();
    try {
      const reader = body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(decoder.decode(value, { stream: true }));
      }
      if (!this.ended) this.broken = true;
    } catch {
      if (!this.abortController.signal.aborted) this.broken = true;
    } finally {
      this.ended = true;
    }
  }
}
