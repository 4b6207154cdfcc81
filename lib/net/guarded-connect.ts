// The connect step of the SSRF-safe fetch: the address checked is the address the socket connects
// to. DNS names are resolved inside net.connect's `lookup` hook (so a rebinding resolver cannot
// answer one thing to a pre-check and another to the connect); IP literals skip DNS, so they are
// checked here before any socket opens; and the connected socket's remote address is checked once
// more, so a path that bypassed the hook (a future undici change) still fails closed.
import dns from "node:dns";
import type { LookupAddress } from "node:dns";
import type { Socket } from "node:net";
import { buildConnector } from "undici";
import { allowanceKey, checkAddress, isIpLiteral } from "./address-policy";

/** Resolves a DNS name to every address it has; tests pass a fake one to simulate rebinding. */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

export class BlockedAddressError extends Error {
  readonly code = "blocked_address";
  constructor(reason: string) {
    // The reason names the kind of address, never the address: callers pass it on to the model.
    super(`Refused: the destination is not a public address (${reason}).`);
  }
}

export interface GuardOptions {
  resolve: Resolver;
  /** Test-only allowance: "address|port" keys (address-policy allowanceKey) let through. */
  allowed: Set<string>;
  connectTimeoutMs: number;
}

function verdict(address: string, port: number, allowed: Set<string>): string | null {
  if (allowed.size && allowed.has(allowanceKey(address, port))) return null;
  const v = checkAddress(address);
  return v.ok ? null : v.reason;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

function guardedLookup(port: number, opts: GuardOptions) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    opts.resolve(hostname).then(
      (addresses) => {
        if (!addresses.length) return callback(Object.assign(new Error(`No address for ${hostname}`), { code: "ENOTFOUND" }), []);
        // One bad address refuses the host: a name answering both public and private is a rebinding setup.
        for (const a of addresses) {
          const reason = verdict(a.address, port, opts.allowed);
          if (reason) return callback(new BlockedAddressError(reason), []);
        }
        if (options?.all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      },
      (err: NodeJS.ErrnoException) => callback(err, []),
    );
  };
}

type ConnectOpts = Parameters<buildConnector.connector>[0];
type ConnectCallback = Parameters<buildConnector.connector>[1];

/** An undici `connect` function enforcing the address policy on every new connection. */
export function guardedConnect(opts: GuardOptions): buildConnector.connector {
  return (connectOpts: ConnectOpts, callback: ConnectCallback) => {
    const port = Number(connectOpts.port) || (connectOpts.protocol === "https:" ? 443 : 80);
    const host = connectOpts.hostname;
    if (isIpLiteral(host)) {
      const reason = verdict(host, port, opts.allowed);
      if (reason) {
        queueMicrotask(() => callback(new BlockedAddressError(reason), null));
        return undefined as unknown as Socket;
      }
    }
    const base = buildConnector({ timeout: opts.connectTimeoutMs, lookup: guardedLookup(port, opts) } as buildConnector.BuildOptions);
    return base(connectOpts, (err, socket) => {
      if (err || !socket) return callback(err ?? new Error("connect failed"), null);
      const remote = socket.remoteAddress;
      const reason = remote ? verdict(remote, port, opts.allowed) : "unknown remote address";
      if (reason) {
        socket.destroy();
        return callback(new BlockedAddressError(reason), null);
      }
      callback(null, socket);
    });
  };
}
