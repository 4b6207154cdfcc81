// A Response body that follows a live reply (replaying what exists so far) until it ends or the
// client leaves. The wire format is the encoder's; each event is one pre-built string and one
// enqueue, with no TransformStream chain per token. A client that goes away only detaches: the
// reply keeps generating and is saved.
import type { ReplyRun, ReplySubscriber } from "./reply-run";

export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
  "x-accel-buffering": "no",
} as const;

export interface ReplyEncoder {
  open(): string;
  delta(text: string): string;
  /** The closing events, including `data: [DONE]`. */
  end(run: ReplyRun): string;
}

const encoder = new TextEncoder();

export function replySseStream(run: ReplyRun, encode: ReplyEncoder): ReadableStream<Uint8Array> {
  let detach: (() => void) | null = null;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const write = (s: string) => {
        if (!open) return;
        sub.lastWriteAt = Date.now();
        controller.enqueue(encoder.encode(s));
      };
      const sub: ReplySubscriber = {
        lastWriteAt: Date.now(),
        delta: (text) => write(encode.delta(text)),
        end(r) {
          write(encode.end(r));
          open = false;
          controller.close();
        },
        heartbeat: () => write(": keep-alive\n\n"),
      };
      write(encode.open());
      detach = run.subscribe(sub);
    },
    cancel() {
      detach?.();
    },
  });
}
