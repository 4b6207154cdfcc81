import { sql } from "drizzle-orm";
import { afterAll, describe, expect, inject, it } from "vitest";
import { closeDb, dbDriver, getDb, startMaintenance } from "../index";
import { ensureUsagePartitions, insertUsageEvent } from "../queries/usage";
import { rowsOf } from "./helpers";

afterAll(closeDb);

const monthName = (d: Date) =>
  `usage_events_y${d.getUTCFullYear()}m${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
const monthStart = (offset: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
};

async function partitionOf(id: string): Promise<string> {
  const [row] = await rowsOf<{ part: string }>(
    sql`select tableoid::regclass::text as part from usage_events where id = ${id}`,
  );
  return row.part;
}

describe("migrations", () => {
  it("run on the driver the environment selects", async () => {
    const url = inject("databaseUrl");
    expect(dbDriver()).toBe(url ? "postgres" : "pglite");
    await getDb();
    if (url) {
      // The per-run database made by db/test/global-setup.ts, not the one DATABASE_URL named.
      const [db] = await rowsOf<{ name: string }>(sql`select current_database() as name`);
      expect(db.name).toBe(new URL(url).pathname.slice(1));
      expect(db.name).toMatch(/^t_\d+_/);
    }
    const applied = await rowsOf<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    expect(applied[0].n).toBeGreaterThanOrEqual(2);
    const tables = await rowsOf<{ name: string }>(
      sql`select tablename as name from pg_tables where schemaname = current_schema()`,
    );
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(["users", "sessions", "conversations", "messages", "moderation_events"]),
    );
  });

  it("make usage_events a partitioned table with this month, the next and a default partition", async () => {
    await getDb();
    const [kind] = await rowsOf<{ relkind: string }>(sql`select relkind from pg_class where relname = 'usage_events'`);
    expect(kind.relkind).toBe("p");
    const parts = await rowsOf<{ name: string }>(
      sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
          where i.inhparent = 'usage_events'::regclass`,
    );
    const names = parts.map((p) => p.name);
    expect(names).toEqual(
      expect.arrayContaining([monthName(monthStart(0)), monthName(monthStart(1)), monthName(monthStart(3)), "usage_events_default"]),
    );
  });
});

describe("usage partitions", () => {
  const event = (createdAt: Date) => ({
    userId: "00000000-0000-4000-8000-000000000001",
    model: "sim-echo",
    promptTokens: 10,
    completionTokens: 5,
    costUsd: 0.000123,
    createdAt,
  });

  it("route an insert at a month boundary to the right month", async () => {
    const next = monthStart(1);
    const lastOfThis = new Date(next.getTime() - 1); // 23:59:59.999 UTC on the last day
    const a = await insertUsageEvent(event(lastOfThis));
    const b = await insertUsageEvent(event(next));
    expect(await partitionOf(a.id)).toBe(monthName(monthStart(0)));
    expect(await partitionOf(b.id)).toBe(monthName(next));
  });

  it("keep cost as numeric(12,6)", async () => {
    const { id } = await insertUsageEvent(event(new Date()));
    const [row] = await rowsOf<{ cost: string }>(sql`select cost_usd::text as cost from usage_events where id = ${id}`);
    expect(row.cost).toBe("0.000123");
  });

  it("never fail an insert: a month without a partition goes to the default one, and moves out when its partition is made", async () => {
    const far = monthStart(9);
    const { id } = await insertUsageEvent(event(new Date(far.getTime() + 3_600_000)));
    expect(await partitionOf(id)).toBe("usage_events_default");

    const created = await ensureUsagePartitions({ monthsAhead: 9 });
    expect(created).toBeGreaterThanOrEqual(1);
    expect(await partitionOf(id)).toBe(monthName(far));
    expect(await ensureUsagePartitions({ monthsAhead: 9 })).toBe(0); // idempotent
  });

  it("are safe to ensure concurrently", async () => {
    const db = await getDb();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => db.execute(sql`select ensure_usage_partitions(4)`)),
    );
    expect(results).toHaveLength(5);
  });
});

describe("client lifecycle", () => {
  it("shares one client, reopens after closeDb, and schedules maintenance once", async () => {
    const [a, b] = await Promise.all([getDb(), getDb()]);
    expect(a).toBe(b);
    startMaintenance();
    startMaintenance();
    await closeDb();
    const c = await getDb();
    expect(c).not.toBe(a);
    const [row] = await rowsOf<{ one: number }>(sql`select 1 as one`);
    expect(row.one).toBe(1);
  });
});
