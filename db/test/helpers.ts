// Shared by the db tests: fresh users per test (tests share one database per file on PGlite, and one
// per run on PostgreSQL, so nothing may depend on global row counts) and raw-SQL helpers.
import { randomUUID } from "node:crypto";
import type { SQL } from "drizzle-orm";
import { getDb } from "../index";
import { createConversation } from "../queries/conversations";
import { createUser } from "../queries/users";

/** Rows of a raw query on either driver (PGlite returns { rows }, postgres.js an array). */
export async function rowsOf<T>(query: SQL): Promise<T[]> {
  const db = await getDb();
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

export async function newUser(opts: { isGuest?: boolean } = {}) {
  return createUser({
    email: opts.isGuest ? null : `u-${randomUUID()}@example.com`,
    name: "Test",
    passwordHash: opts.isGuest ? null : "hash",
    isGuest: opts.isGuest ?? false,
  });
}

export async function newConversation(userId: string, title: string | null = null) {
  return createConversation({ userId, title, model: "sim-echo" });
}
