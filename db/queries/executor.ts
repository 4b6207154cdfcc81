// Shared by the query modules: resolve the executor (a caller's transaction, or the database).
import { type Executor, getDb } from "../index";

export type { Executor };

export async function resolve(exec: Executor | undefined): Promise<Executor> {
  return exec ?? (await getDb());
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids from URLs reach the queries; a malformed one is a miss (null → 404), not a PostgreSQL cast error (500). */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}
