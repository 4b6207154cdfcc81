// The one documented place where process-wide state is shared between the two module graphs that
// load lib/ in production: the app server's (scripts/server.ts: every live-reply route) and Next's
// bundle (pages and the other routes). Both graphs need the same database client (PGlite allows one
// per data directory), the same in-process limit counters, metrics, router and replica state, safety
// counts, token counters, the session-cookie cache and the generated auth secret — a second copy of
// any of them would be wrong (two secrets, split counters) or wasteful (two tokenizers).
// State that only the live-reply routes use (the live store, generating replies and their ticker,
// the upstream connection pool) is NOT here: it lives in plain module scope, in the app server's
// graph alone. State other instances need lives in Redis or the database, never here.
//
// Typed by declaration merging: a module that shares something adds its key to ProcessRegistry
//   declare module "@/lib/process-registry" { interface ProcessRegistry { limiters: Registry } }
// and reads it with processShared("limiters", () => initial). One globalThis slot, one Symbol.for key.

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by declaration merging
export interface ProcessRegistry {}

const SLOT = Symbol.for("chatgate.process-registry");
const holder = globalThis as typeof globalThis & { [SLOT]?: Partial<ProcessRegistry> };
const registry: Partial<ProcessRegistry> = (holder[SLOT] ??= {});

/** The process's one value for `key`, created by `init` on first use (by whichever graph comes first). */
export function processShared<K extends keyof ProcessRegistry>(key: K, init: () => ProcessRegistry[K]): ProcessRegistry[K] {
  if (!(key in registry)) registry[key] = init();
  return registry[key]!;
}

/** The current value without creating it (undefined until someone has). */
export function processPeek<K extends keyof ProcessRegistry>(key: K): ProcessRegistry[K] | undefined {
  return registry[key];
}

/** Replaces a value (a reset in tests; a failed database start that must be retried). */
export function processSet<K extends keyof ProcessRegistry>(key: K, value: ProcessRegistry[K] | undefined): void {
  if (value === undefined) delete registry[key];
  else registry[key] = value;
}
