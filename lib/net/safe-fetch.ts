// The one SSRF-safe fetch for every outbound request made on a user's behalf (pages the model
// reads, images it links). http(s) on ports 80/443 only, no credentials or cookies, every redirect
// hop re-validated, size, time and redirect caps, and the address policy enforced at connect time
// (guarded-connect.ts). URLs are normalised by the WHATWG parser first, so "2130706433",
// "0x7f.1", "0177.0.0.1", "127.1" and "127.0.0.1." all become 127.0.0.1 before they are judged.
import { Agent, request } from "undici";
import { env } from "@/lib/env";
import { parseAllowance } from "./address-policy";
import { BlockedAddressError, guardedConnect, systemResolver, type Resolver } from "./guarded-connect";

export type SafeFetchErrorCode =
  | "invalid_url"
  | "blocked_scheme"
  | "blocked_port"
  | "blocked_credentials"
  | "blocked_address"
  | "too_many_redirects"
  | "timeout"
  | "aborted"
  | "network";

export class SafeFetchError extends Error {
  constructor(
    readonly code: SafeFetchErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface SafeFetchOptions {
  signal?: AbortSignal;
  /** Body bytes kept; past this the body is cut (`truncated`) and the connection dropped. Default 2 MiB. */
  maxBytes?: number;
  /** Whole exchange, redirects included. Default 10 s. */
  timeoutMs?: number;
  /** Default 5. */
  maxRedirects?: number;
  accept?: string;
}

export interface SafeResponse {
  /** The final URL, after redirects. */
  url: string;
  status: number;
  contentType: string;
  body: Buffer;
  truncated: boolean;
  /** Every URL visited before the final one. */
  redirects: string[];
}

export interface SafeFetchConfig {
  resolve?: Resolver;
  /** "ip:port,…" let through although not public. Test-only; default env SAFE_FETCH_ALLOW_HOSTS. */
  allowHosts?: string;
}

export type SafeFetch = (url: string, opts?: SafeFetchOptions) => Promise<SafeResponse>;

const PORTS = new Set(["", "80", "443"]);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const USER_AGENT = "chatgate-fetch/1.0 (+https://github.com/chatgate)";

/**
 * Parses and validates one hop's URL. Ports other than 80/443 are refused: a public host's other
 * ports are mostly admin consoles and databases, and no page a model reads needs them. Ports named
 * in the test-only allowance pass here (the address is still checked at connect).
 */
export function validateUrl(raw: string, allowedPorts: Set<string> = new Set()): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SafeFetchError("invalid_url", "Not a valid URL.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new SafeFetchError("blocked_scheme", "Only http and https URLs can be fetched.");
  if (url.username || url.password) throw new SafeFetchError("blocked_credentials", "URLs with credentials are not fetched.");
  if (!PORTS.has(url.port) && !allowedPorts.has(url.port)) throw new SafeFetchError("blocked_port", "Only ports 80 and 443 can be fetched.");
  // RFC 6761: localhost names are loopback whatever a resolver says (and "localhost." may not resolve at all).
  let host = url.hostname.toLowerCase();
  while (host.endsWith(".")) host = host.slice(0, -1);
  // A test server named localhost on an allowed port passes on to the connect-time check, which
  // admits only the allowed addresses.
  const testPort = allowedPorts.has(url.port);
  if (!testPort && (host === "localhost" || host.endsWith(".localhost"))) throw new SafeFetchError("blocked_address", "Refused: the destination is not a public address (localhost).");
  url.hash = "";
  return url;
}

export function createSafeFetch(config: SafeFetchConfig = {}): SafeFetch & { close(): Promise<void> } {
  const allowList = config.allowHosts ?? env().SAFE_FETCH_ALLOW_HOSTS;
  const allowed = parseAllowance(allowList);
  const allowedPorts = new Set([...allowed].map((k) => k.split("|")[1]));
  const agent = new Agent({
    connect: guardedConnect({ resolve: config.resolve ?? systemResolver, allowed, connectTimeoutMs: 5_000 }),
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
    keepAliveTimeout: 4_000,
  });

  const fetchOne = async (raw: string, opts: SafeFetchOptions = {}): Promise<SafeResponse> => {
    const maxBytes = opts.maxBytes ?? 2 * 1024 * 1024;
    const maxRedirects = opts.maxRedirects ?? 5;
    const timeout = AbortSignal.timeout(opts.timeoutMs ?? 10_000);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    const redirects: string[] = [];
    let url = validateUrl(raw, allowedPorts);
    for (;;) {
      let res: Awaited<ReturnType<typeof request>>;
      try {
        res = await request(url, {
          method: "GET",
          dispatcher: agent,
          signal,
          // identity: no decompression bombs; no cookie or authorization header is ever added.
          headers: { "user-agent": USER_AGENT, accept: opts.accept ?? "*/*", "accept-encoding": "identity" },
        });
      } catch (err) {
        throw toSafeError(err, signal, opts.signal);
      }
      const location = res.headers.location;
      if (REDIRECTS.has(res.statusCode) && typeof location === "string") {
        drop(res.body);
        if (redirects.length >= maxRedirects) throw new SafeFetchError("too_many_redirects", `More than ${maxRedirects} redirects.`);
        redirects.push(url.href);
        url = validateUrl(new URL(location, url).href, allowedPorts);
        continue;
      }
      const { body, truncated } = await readCapped(res.body, maxBytes, signal, opts.signal);
      const type = res.headers["content-type"];
      return { url: url.href, status: res.statusCode, contentType: typeof type === "string" ? type : "", body, truncated, redirects };
    }
  };
  return Object.assign(fetchOne, { close: () => agent.close() });
}

type Body = AsyncIterable<Buffer> & { destroy(): unknown; on(event: "error", fn: () => void): unknown };

/** Drops a body we will not read; undici reports the abort as an error event, expected here. */
function drop(body: Body): void {
  body.on("error", () => {});
  body.destroy();
}

async function readCapped(
  body: Body,
  maxBytes: number,
  signal: AbortSignal,
  callerSignal?: AbortSignal,
): Promise<{ body: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      if (size + chunk.length > maxBytes) {
        chunks.push(chunk.subarray(0, maxBytes - size));
        drop(body);
        return { body: Buffer.concat(chunks), truncated: true };
      }
      chunks.push(chunk);
      size += chunk.length;
    }
  } catch (err) {
    throw toSafeError(err, signal, callerSignal);
  }
  return { body: Buffer.concat(chunks), truncated: false };
}

function toSafeError(err: unknown, signal: AbortSignal, callerSignal?: AbortSignal): SafeFetchError {
  if (err instanceof SafeFetchError) return err;
  const cause = (err as { cause?: unknown }).cause;
  const blocked = err instanceof BlockedAddressError ? err : cause instanceof BlockedAddressError ? cause : null;
  if (blocked) return new SafeFetchError("blocked_address", blocked.message);
  if (callerSignal?.aborted) return new SafeFetchError("aborted", "The request was stopped.");
  if (signal.aborted) return new SafeFetchError("timeout", "The request took too long.");
  const code = (err as { code?: string }).code;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return new SafeFetchError("network", "The host name does not resolve.");
  return new SafeFetchError("network", "The page could not be fetched.");
}

let shared: ReturnType<typeof createSafeFetch> | undefined;

/** The process's safe fetch (one connection pool), configured from the environment. */
export const safeFetch: SafeFetch = (url, opts) => {
  shared ??= createSafeFetch();
  return shared(url, opts);
};
