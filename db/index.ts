// The database client: one code path, two drivers. PGlite (PostgreSQL in WebAssembly, in-process)
// when DATABASE_URL is unset; PostgreSQL through postgres.js when it is set. Only db/queries/*
// imports this module. Migrations from db/migrations are applied by the first getDb() of a process,
// never by `next build`.
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { type ExtractTablesWithRelations, sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { env } from "@/lib/env";
import { processPeek, processSet } from "@/lib/process-registry";
import * as schema from "./schema";
import { log } from "@/lib/log/logger";

export type Schema = typeof schema;
/** What both drivers' databases have in common; queries are written against it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything a query can run on: the database or an open transaction. */
export type Executor = Db | Tx;
export type DbDriver = "pglite" | "postgres";

/** How many months of usage_events partitions exist ahead of the current one. */
const PARTITION_MONTHS_AHEAD = 3;
const DAY_MS = 24 * 60 * 60 * 1000;

interface DbState {
  ready: Promise<Db>;
  close: () => Promise<void>;
}

// In the process registry (lib/process-registry.ts; besides lib/env the only lib/ module db/ imports):
// Next's bundle and the app server's route graph (scripts/server.ts) each load this module, and they
// must share one client (PGlite allows only one per data dir; two PostgreSQL pools would double the
// connections). Next's dev server also re-evaluates modules on reload.
declare module "@/lib/process-registry" {
  interface ProcessRegistry {
    db: DbState;
    dbMaintenance: ReturnType<typeof setInterval>;
  }
}

export function dbDriver(): DbDriver {
  return env().DATABASE_URL ? "postgres" : "pglite";
}

/** The database, connected and migrated. The first call connects and migrates; later calls share it. */
export function getDb(): Promise<Db> {
  let state = processPeek("db");
  if (!state) {
    state = open();
    processSet("db", state);
    const current = state;
    // A failed start (database down, bad migration) is not cached: the next call tries again.
    current.ready.catch(() => {
      if (processPeek("db") === current) processSet("db", undefined);
      void current.close().catch(() => {});
    });
  }
  return state.ready;
}

/** Close the client (tests, graceful shutdown). The next getDb() opens a new one. */
export async function closeDb(): Promise<void> {
  const state = processPeek("db");
  if (!state) return;
  processSet("db", undefined);
  clearInterval(processPeek("dbMaintenance"));
  processSet("dbMaintenance", undefined);
  await state.ready.catch(() => {});
  await state.close();
}

/** Once per process: keep usage partitions created ahead, daily. The timer does not keep the process alive. */
export function startMaintenance(): void {
  if (processPeek("dbMaintenance")) return;
  const timer = setInterval(() => {
    getDb()
      .then((db) => db.execute(sql`select ensure_usage_partitions(${PARTITION_MONTHS_AHEAD})`))
      .catch((err: unknown) => log().error({ err }, "db: ensure_usage_partitions failed"));
  }, DAY_MS);
  timer.unref();
  processSet("dbMaintenance", timer);
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}

function migrationsFolder(): string {
  // Not relative to this file: Next bundles server code elsewhere, while the app always runs from the repo root.
  return path.join(process.cwd(), "db", "migrations");
}

function open(): DbState {
  const { DATABASE_URL: url } = env();
  return url ? openPostgres(url) : openPglite();
}

// PGlite's memory (measured with 0.5.16 on Node 20; README "Memory"): its WebAssembly heap starts at
// 128 MB, the smallest the module accepts (initialMemory below 128 MB fails to instantiate), and
// PostgreSQL's default shared_buffers (128 MB) grows it further; an embedded single-user database
// reads its files through the OS page cache anyway, so small buffers cost little. A process with
// PGlite at rest then holds about 150 MB instead of 300 MB.
const PGLITE_OPTIONS = {
  postgresqlconf: ["shared_buffers=16MB", "work_mem=2MB", "maintenance_work_mem=16MB", "temp_buffers=2MB", "wal_buffers=512kB"],
};

/**
 * The first start runs initdb inside the same WebAssembly instance, and about 550 MB it used (the
 * initdb module and its file-system bundle) stays referenced until that PGlite is closed: on a fresh
 * data directory PGlite is opened once for initdb, closed, and opened again to serve.
 */
async function openPgliteClient(dataDir: string, fresh: boolean): Promise<PGlite> {
  if (fresh) {
    const initdb = new PGlite(dataDir, PGLITE_OPTIONS);
    await initdb.waitReady;
    await initdb.close();
  }
  const client = new PGlite(dataDir, PGLITE_OPTIONS);
  await client.waitReady;
  return client;
}

function openPglite(): DbState {
  const { PGLITE_DIR, DATA_DIR } = env();
  const dataDir = PGLITE_DIR ?? path.join(DATA_DIR, "pglite");
  if (!dataDir.includes("://")) mkdirSync(dataDir, { recursive: true });
  const fresh = !dataDir.includes("://") && !existsSync(path.join(dataDir, "PG_VERSION"));
  const opened = openPgliteClient(dataDir, fresh);
  // PGlite is one connection. Its transaction() holds an exclusive lock until COMMIT/ROLLBACK, and
  // every query outside it waits for that lock, so concurrent requests' transactions run one after
  // another and never interleave; drizzle's db.transaction() maps straight onto it (checked in
  // drizzle-orm 0.45 pglite/session.js), so no extra mutex is needed. The one way to deadlock is to
  // use `db` instead of `tx` inside a transaction callback: that query waits for the transaction,
  // which waits for it. Queries therefore take the executor as an argument.
  const ready = (async (): Promise<Db> => {
    const db = drizzlePglite({ client: await opened, schema });
    await migratePglite(db, { migrationsFolder: migrationsFolder() });
    await db.execute(sql`select ensure_usage_partitions(${PARTITION_MONTHS_AHEAD})`);
    return db;
  })();
  return { ready, close: once(async () => (await opened.catch(() => null))?.close()) };
}

function openPostgres(url: string): DbState {
  const client = postgres(url, { max: env().DATABASE_POOL_MAX, prepare: true, onnotice: () => {} });
  const db: Db = drizzlePostgres({ client, schema });
  const ready = (async () => {
    await migrateWithLock(url);
    return db;
  })();
  return { ready, close: once(() => client.end({ timeout: 5 })) };
}

async function migrateWithLock(url: string): Promise<void> {
  // A dedicated single connection: a session-level advisory lock must be taken and released on the
  // same connection, which a pool does not promise.
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    // drizzle's migrator takes no lock of its own; app instances starting together must not race.
    await client`select pg_advisory_lock(hashtext('chatgate:migrations'))`;
    const db = drizzlePostgres({ client, schema });
    await migratePostgres(db, { migrationsFolder: migrationsFolder() });
    await db.execute(sql`select ensure_usage_partitions(${PARTITION_MONTHS_AHEAD})`);
    await client`select pg_advisory_unlock(hashtext('chatgate:migrations'))`;
  } finally {
    await client.end({ timeout: 5 });
  }
}
