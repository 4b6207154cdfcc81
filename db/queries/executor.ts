// Shared by the query modules: resolve the executor (a caller's transaction, or the database).
import { type Db, type Executor, getDb } from "../index";

export type { Executor };

export async function resolve(exec: Executor | undefined): Promise<Executor> {
  return exec ?? (await getDb());
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids from URLs reach the queries; a malformed one is a miss (null → 404), not a PostgreSQL cast error (500). */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}

/**
 * A statement built once per database client and then only executed (drizzle's prepare, values as
 * sql.placeholder): building a select with joins through drizzle costs 0.1–0.5 ms of CPU each time
 * (measured on the turn's conversation read), and the hottest statements run on every request. A
 * prepared query is bound to the client that built it, so a caller's transaction builds its own.
 */
export function preparedPerDb<P extends { execute(values: Record<string, unknown>): Promise<unknown> }>(
  build: (exec: Executor) => P,
): (exec: Executor | undefined) => Promise<P> {
  const byDb = new WeakMap<Db, P>();
  return async (exec) => {
    if (exec) return build(exec);
    const db = await getDb();
    let prepared = byDb.get(db);
    if (!prepared) byDb.set(db, (prepared = build(db)));
    return prepared;
  };
}
