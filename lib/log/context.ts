// The request a piece of work belongs to (request id, user id), carried through async calls with
// AsyncLocalStorage so log lines and error bodies can name it without threading it through every call.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { processShared } from "@/lib/process-registry";

declare module "@/lib/process-registry" {
  interface ProcessRegistry {
    requestContext: AsyncLocalStorage<RequestContext>;
  }
}

export interface RequestContext {
  requestId: string;
  userId?: string;
}

// One store per process: Next's bundles and the app server's own module graph both load this file.
const als = processShared("requestContext", () => new AsyncLocalStorage<RequestContext>());

/** A proxy's id is kept when it looks like one (bounded, no spaces or control characters); otherwise a fresh UUID. */
export function requestIdFrom(headers: Headers): string {
  const given = headers.get("x-request-id");
  return given && /^[A-Za-z0-9._:-]{8,128}$/.test(given) ? given : randomUUID();
}

export function runWithRequest<T>(ctx: RequestContext, fn: () => T): T {
  return als.run(ctx, fn);
}

/**
 * `fn`, bound to the request running now: whenever and from wherever it is called later (a shared
 * ticker, a pooled socket's callback, another request's stop), its log lines name this request.
 * Register callbacks that outlive the call (a reply's end) through this.
 */
export function bindToRequest<F extends (...args: never[]) => unknown>(fn: F): F {
  return AsyncLocalStorage.bind(fn);
}

/**
 * Runs `fn` outside any request: what it starts (a process-wide timer) does not carry the request
 * that happened to start it into every later callback.
 */
export function outsideRequest<T>(fn: () => T): T {
  return als.exit(fn);
}

export function requestContext(): RequestContext | undefined {
  return als.getStore();
}

export function currentRequestId(): string | undefined {
  return als.getStore()?.requestId;
}
