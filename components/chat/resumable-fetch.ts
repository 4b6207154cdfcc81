// A fetch for the chat's SSE replies that survives a dropped connection: it remembers the last event
// id (`id:` = the reply's seq) it passed on and, when the body breaks before `data: [DONE]`,
// reattaches with Last-Event-ID to GET /api/chat/:id/stream and carries on in the same body, so the
// AI SDK sees one unbroken stream with every event exactly once. Events are passed on whole, up to
// the last one that carried an id, so a resumed stream never repeats or cuts one. A body that ends
// before `data: [DONE]` (a proxy's idle timeout) counts as dropped too.
// Not an EventSource: useChat reads a fetch Response, and EventSource cannot POST.

const RETRY_DELAYS_MS = [250, 500, 1_000, 2_000, 4_000];
/** Reattachments per response, so a server that keeps closing early cannot keep the page looping. */
const MAX_REATTACH = 20;

export interface ResumeOptions {
  /** The attach URL for this chat. */
  streamUrl: string;
  /** Called when the reply cannot be reattached (it ended meanwhile, or the server is gone). */
  onLost: () => void;
  signal?: AbortSignal | null;
  /** The fetch that reattaches (the page's own by default). */
  fetch?: typeof fetch;
}

const ID_LINE = /(?:^|\n)id: (\d+)\n\n/g;

export function resumable(res: Response, opts: ResumeOptions): Response {
  if (!res.ok || !res.body || !res.headers.get("content-type")?.includes("text/event-stream")) return res;
  const encoder = new TextEncoder();
  let reader = res.body.getReader();
  let decoder = new TextDecoder();
  let pending = "";
  let lastId = 0;
  let finished = false;
  let reattached = 0;

  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array> | null;
        try {
          chunk = await reader.read();
        } catch {
          chunk = null; // the connection broke
        }
        // Broken, or closed before the end (a proxy's idle timeout, a restarting server): reattach.
        if (!chunk || (chunk.done && !finished)) {
          if (finished || opts.signal?.aborted) return controller.close();
          const next = ++reattached <= MAX_REATTACH ? await reattach(opts, lastId) : null;
          if (!next?.body) {
            opts.onLost();
            return controller.close();
          }
          reader = next.body.getReader();
          decoder = new TextDecoder();
          pending = ""; // an event cut by the drop comes again, whole
          continue;
        }
        if (chunk.done) {
          if (pending) controller.enqueue(encoder.encode(pending));
          return controller.close();
        }
        pending += decoder.decode(chunk.value, { stream: true });
        if (pending.includes("data: [DONE]")) finished = true;
        const cut = lastIdEnd(pending);
        if (cut > 0) {
          controller.enqueue(encoder.encode(pending.slice(0, cut)));
          pending = pending.slice(cut);
          return;
        }
        if (finished) {
          controller.enqueue(encoder.encode(pending));
          pending = "";
          return;
        }
      }
    },
    cancel(reason) {
      finished = true;
      void reader.cancel(reason).catch(() => undefined);
    },
  });

  /** Where the last event with an id ends in `pending` (0: none yet), remembering that id. */
  function lastIdEnd(text: string): number {
    let end = 0;
    ID_LINE.lastIndex = 0;
    for (let m = ID_LINE.exec(text); m; m = ID_LINE.exec(text)) {
      lastId = Number(m[1]);
      end = m.index + m[0].length;
    }
    return end;
  }

  return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
}

async function reattach(opts: ResumeOptions, lastId: number): Promise<Response | null> {
  for (const delay of RETRY_DELAYS_MS) {
    await new Promise((r) => setTimeout(r, delay));
    if (opts.signal?.aborted) return null;
    try {
      const res = await (opts.fetch ?? fetch)(opts.streamUrl, {
        credentials: "same-origin",
        headers: { "last-event-id": String(lastId) },
        signal: opts.signal ?? undefined,
      });
      if (res.status === 200) return res;
      if (res.status < 500) return null; // 204/404: nothing live to attach to any more
    } catch {
      // still offline: try again
    }
  }
  return null;
}
