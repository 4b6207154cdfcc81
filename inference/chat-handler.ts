// POST /v1/chat/completions – validate, apply faults, build the reply, hand it to the engine, and
// write tokens as the engine releases them (one socket write per tick per stream, pre-built strings).
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { SimConfig } from "./config";
import type { Engine, SeqSink, Sequence } from "./engine";
import { findDirectives, haltPoint, resolveFaults, type FaultPlan, type HaltKind } from "./faults";
import { buildReply, type Reply } from "./replies";
import { prefixBlocks } from "./prefix-cache";
import { estimatePromptTokens, lastUserText, messageText, parseChatRequest, type ChatRequest } from "./request";
import { ChunkWriter, completionJson, DONE_FRAME, errorFrame, errorJson, type CompletionMessage } from "./wire";

export function sendError(res: ServerResponse, status: number, message: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...extra });
  res.end(errorJson(status, message));
}

class ReplySink implements SeqSink {
  /** Set once the response has been ended on purpose; a 'close' before that is a client abort. */
  done = false;
  /** The socket stream frames are written to directly, once startStream() found chunked encoding. */
  private raw: Socket | null = null;

  constructor(
    private readonly res: ServerResponse,
    private readonly engine: Engine,
    private readonly w: ChunkWriter,
    private readonly reply: Reply,
    private readonly stream: boolean,
    private readonly includeUsage: boolean,
    private readonly promptTokens: number,
    private readonly faults: FaultPlan,
    private readonly haltKind: HaltKind | null,
  ) {}

  /**
   * Sends the SSE headers. Frames then go straight to the socket, each framed as one HTTP/1.1 chunk:
   * ServerResponse.write costs four buffered socket writes and a cork/uncork per call, which was most
   * of the simulator's user-space CPU at 100k tokens/s. res.end() still writes the last chunk.
   */
  startStream(): void {
    this.res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
    this.res.flushHeaders();
    const chunked = (this.res as ServerResponse & { chunkedEncoding?: boolean }).chunkedEncoding === true;
    if (chunked && this.res.socket) this.raw = this.res.socket;
  }

  private write(frames: string, then?: () => void): void {
    if (!frames) then?.();
    else if (this.raw) {
      // Between the client leaving and the 'close' event (which aborts us) a tick may still come by.
      if (!this.raw.destroyed) this.raw.write(Buffer.byteLength(frames).toString(16) + "\r\n" + frames + "\r\n", then);
    } else this.res.write(frames, then);
  }

  private end(frames: string): void {
    this.write(frames);
    this.res.end();
  }

  onTokens(seq: Sequence, from: number, to: number): void {
    if (!this.stream) return this.onJsonTokens(seq, to);
    const { w, reply } = this;
    let out = from === 0 ? w.role() : "";
    const call = reply.toolCall;
    if (call) {
      for (let i = from; i < to; i++) out += i === 0 ? w.toolCall(call.id, call.name) : w.toolArgs(reply.pieces[i]);
    } else {
      for (let i = from; i < to; i++) out += w.content(reply.pieces[i]);
    }
    if (seq.status === "completed") {
      if (!this.faults.noFinish) out += w.finish(reply.finishReason);
      if (this.includeUsage) out += w.usage(this.promptTokens, to);
      this.done = true;
      this.end(out + DONE_FRAME);
    } else if (seq.halted) {
      this.halt(seq, out);
    } else {
      this.write(out);
    }
  }

  private onJsonTokens(seq: Sequence, to: number): void {
    if (seq.status === "completed") {
      this.done = true;
      const finish = this.faults.noFinish ? null : this.reply.finishReason;
      this.res.writeHead(200, { "content-type": "application/json" });
      this.res.end(completionJson(this.w, this.message(to), finish, this.promptTokens, to));
    } else if (seq.halted) {
      this.halt(seq, "");
    }
  }

  private message(tokens: number): CompletionMessage {
    const { pieces, toolCall } = this.reply;
    if (!toolCall) return { role: "assistant", content: pieces.slice(0, tokens).join("") };
    const fn = { name: toolCall.name, arguments: pieces.slice(1, tokens).join("") };
    return { role: "assistant", content: null, tool_calls: [{ id: toolCall.id, type: "function", function: fn }] };
  }

  /** A fault fired at seq.haltAt tokens: error frame, dropped connection, or silence. */
  private halt(seq: Sequence, out: string): void {
    if (this.haltKind === "stall") {
      this.write(out);
      return; // the slot stays taken until the client leaves (then it counts as aborted)
    }
    this.done = true;
    this.engine.fail(seq);
    if (this.haltKind === "reset") {
      const socket = this.res.socket;
      this.write(out, () => socket?.destroy());
      return;
    }
    const message = `Simulated engine failure after ${seq.emitted} tokens`;
    const code = this.faults.errorCode === "string" ? "internal_error" : 500;
    if (this.stream) this.end(out + errorFrame(message, code));
    else {
      this.res.writeHead(500, { "content-type": "application/json" });
      this.res.end(errorJson(500, message, code));
    }
  }
}

export function handleChat(engine: Engine, config: SimConfig, req: IncomingMessage, res: ServerResponse, body: string): void {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return sendError(res, 400, "Request body is not valid JSON");
  }
  const parsed = parseChatRequest(json);
  if (!parsed.ok) return sendError(res, 400, parsed.message);
  const request = parsed.req;
  const model = engine.model(request.model);
  if (!model) return sendError(res, 404, `The model \`${request.model}\` does not exist.`);

  let faults: FaultPlan;
  try {
    const header = req.headers["x-sim-fault"];
    const directive = config.faultDirectives ? findDirectives(lastUserText(request)) : null;
    faults = resolveFaults(config.faults, Array.isArray(header) ? header.join(";") : header, directive);
  } catch (err) {
    return sendError(res, 400, `Invalid fault spec: ${(err as Error).message}`);
  }

  const requestId = req.headers["x-request-id"];
  const id = `chatcmpl-${typeof requestId === "string" && requestId ? requestId : randomUUID().replace(/-/g, "")}`;
  const promptTokens = estimatePromptTokens(request);
  if (faults.status) {
    engine.reject(id, model.name, promptTokens);
    const extra: Record<string, string> = faults.retryAfter !== undefined ? { "retry-after": String(faults.retryAfter) } : {};
    return sendError(res, faults.status, `Simulated error (status ${faults.status})`, extra);
  }

  const requested = request.max_completion_tokens ?? request.max_tokens ?? undefined;
  const room = model.maxModelLen - promptTokens;
  if (room <= 0 || (requested !== undefined && requested > room)) {
    const completion = requested ?? 0;
    return sendError(
      res,
      400,
      `This model's maximum context length is ${model.maxModelLen} tokens. However, you requested ` +
        `${promptTokens + completion} tokens (${promptTokens} in the messages, ${completion} in the completion). ` +
        `Please reduce the length of the messages or completion.`,
    );
  }
  const maxTokens = requested ?? Math.min(model.defaultMaxTokens, room);
  if (promptTokens + maxTokens > config.kvCacheTokens) {
    const need = promptTokens + maxTokens;
    return sendError(res, 400, `Request needs ${need} KV-cache tokens; the cache holds ${config.kvCacheTokens}.`);
  }

  const reply = buildReply(request, model, maxTokens);
  const halt = haltPoint(faults);
  const stream = request.stream === true;
  const w = new ChunkWriter(id, Math.floor(Date.now() / 1000), model.name);
  const includeUsage = request.stream_options?.include_usage === true;
  const sink = new ReplySink(res, engine, w, reply, stream, includeUsage, promptTokens, faults, halt?.kind ?? null);
  if (stream) sink.startStream();
  const cachedTokens = cachePrefix(engine, request, reply, promptTokens);
  const seq = engine.submit(
    {
      id,
      model: model.name,
      promptTokens,
      maxTokens,
      total: reply.pieces.length,
      finishReason: reply.finishReason === "length" ? "length" : "stop",
      extraTtftMs: faults.slowFirstTokenMs,
      cachedTokens,
      haltAt: halt?.at,
    },
    sink,
  );
  res.on("close", () => {
    if (!sink.done) engine.abort(seq);
  });
}

/**
 * Looks the prompt up in the server's prefix cache and caches it, with the reply as one more block:
 * vLLM keeps the KV of generated tokens too, so the next turn (prompt + this reply) hits up to here.
 * Cached at submission rather than at completion — the simulator knows the reply in advance.
 */
function cachePrefix(engine: Engine, request: ChatRequest, reply: Reply, promptTokens: number): number {
  const cache = engine.prefixCache;
  if (!cache) return 0;
  const entries = request.messages.map((m) => {
    const text = messageText(m) + (m.tool_calls ? JSON.stringify(m.tool_calls) : "");
    return { role: m.role, text, tokens: 4 + Math.ceil(text.length / 4) };
  });
  const blocks = prefixBlocks(entries);
  // Never more than the prompt estimate (tool schemas etc. are not in the blocks).
  const cached = Math.min(cache.match(blocks), promptTokens);
  const replyText = reply.toolCall ? "" : reply.pieces.join("");
  const withReply = replyText
    ? [...blocks, ...prefixBlocks([{ role: "assistant", text: replyText, tokens: 4 + Math.ceil(replyText.length / 4) }], blocks.at(-1)?.hash)]
    : blocks;
  cache.insert(withReply);
  return cached;
}
