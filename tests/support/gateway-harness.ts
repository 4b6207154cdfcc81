// Test harness for the gateway: a real inference simulator on a free port (fast models, fault
// directives on), an embedded or PostgreSQL database per the environment, and helpers to read the
// UI message stream a route would send.
import { randomUUID } from "node:crypto";
import { startInferenceServer, type InferenceServer } from "@/inference/server";
import { createUser } from "@/db/queries/users";
import type { SessionUser } from "@/lib/auth/session-user";

export const FAST_MODELS = [
  { name: "sim-medium", baseTtftMs: 5, decodeTokensPerS: 400 },
  { name: "sim-large", baseTtftMs: 5, decodeTokensPerS: 40 },
  { name: "sim-small", baseTtftMs: 5, decodeTokensPerS: 800 },
  { name: "sim-echo", mode: "echo" as const, baseTtftMs: 5, decodeTokensPerS: 2_000 },
];

/** Must run before the first env() call of the test file (env is read once and cached). */
export async function startSimulator(env: Record<string, string> = {}): Promise<InferenceServer> {
  const server = await startInferenceServer({ port: 0, config: { faultDirectives: true, models: FAST_MODELS } });
  Object.assign(process.env, { INFERENCE_URL: server.url, INFERENCE_LOCAL: "1", ...env });
  return server;
}

export async function newUser(): Promise<SessionUser> {
  const u = await createUser({ email: `t-${randomUUID()}@example.test`, name: null, passwordHash: null, isGuest: false });
  return { id: u.id, email: u.email, name: u.name, isGuest: false, tier: "free", role: "user" };
}

export interface UiEvent {
  type: string;
  [key: string]: unknown;
}

export interface ReadStream {
  events: UiEvent[];
  comments: number;
  text: string;
  done: boolean;
  /** Every `id:` seen, in order (the events' sequence numbers). */
  ids: number[];
}

/** Reads a UI message stream to its end (or until `stopAfter` says so, then cancels = detach). */
export async function readUiStream(
  body: ReadableStream<Uint8Array>,
  stopAfter?: (r: ReadStream) => boolean,
): Promise<ReadStream> {
  const out: ReadStream = { events: [], comments: 0, text: "", done: false, ids: [] };
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += decoder.decode(value, { stream: true });
    let i: number;
    while ((i = buf.indexOf("\n\n")) >= 0) {
      const frame = buf.slice(0, i);
      buf = buf.slice(i + 2);
      if (frame.startsWith(":")) {
        out.comments++;
        continue;
      }
      for (const line of frame.split("\n")) {
        if (line.startsWith("id: ")) out.ids.push(Number(line.slice(4)));
        else if (line === "data: [DONE]") out.done = true;
        else if (line.startsWith("data: ")) {
          const ev = JSON.parse(line.slice(6)) as UiEvent;
          out.events.push(ev);
          if (ev.type === "text-delta") out.text += String(ev.delta);
        }
      }
    }
    if (stopAfter?.(out)) {
      await reader.cancel();
      break;
    }
  }
  return out;
}

export async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error("waitFor timed out");
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** SSE text → its events: the data of each (JSON or "[DONE]") and its `id:` when it has one. Comments are skipped. */
export function sseEvents(text: string): { id: number | null; data: string }[] {
  const out: { id: number | null; data: string }[] = [];
  for (const frame of text.split("\n\n")) {
    let id: number | null = null;
    const data: string[] = [];
    for (const line of frame.split("\n")) {
      if (line.startsWith("id: ")) id = Number(line.slice(4));
      else if (line.startsWith("data: ")) data.push(line.slice(6));
    }
    if (data.length) out.push({ id, data: data.join("\n") });
  }
  return out;
}

/**
 * Reads an SSE response's text until `enough` says so of the complete events so far (then drops the
 * connection, as a client that goes away does) or to its end.
 */
export async function readSseText(res: Response, enough?: (completeText: string) => boolean): Promise<string> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return text;
    text += decoder.decode(value, { stream: true });
    const complete = text.slice(0, text.lastIndexOf("\n\n") + 2);
    if (enough?.(complete)) {
      await reader.cancel();
      return complete;
    }
  }
}
