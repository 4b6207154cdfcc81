// Round trips and readiness checks against the database, for metrics and /api/health/ready.
import { sql } from "drizzle-orm";
import { type Executor, resolve } from "./executor";
import { rowsOf } from "./rollups";

/** select 1; resolves with the round trip in ms. */
export async function pingDb(exec?: Executor): Promise<number> {
  const db = await resolve(exec);
  const t = performance.now();
  await db.execute(sql`select 1`);
  return performance.now() - t;
}

/** How many migrations drizzle recorded as applied. */
export async function countAppliedMigrations(exec?: Executor): Promise<number> {
  const db = await resolve(exec);
  const rows = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`));
  return Number(rows[0]?.n ?? 0);
}
