// Readiness for load balancers and orchestrators: the database answers, every migration in
// db/migrations is applied, and each default model (the catalog's default, or both models of an
// "auto" cascade) has at least one replica that is in rotation and answered its last probe. The
// answer names models and counts, never replica addresses.
import { readFileSync } from "node:fs";
import path from "node:path";
import { countAppliedMigrations, pingDb } from "@/db/queries/admin-health";
import { findModel, getCatalog } from "@/lib/models/catalog";
import { pollReplicas, replicaState } from "@/lib/routing/replicas";
import { watchPool } from "@/lib/routing/router";

/** A scrape older than this does not count as "answered" (the poller runs about every second). */
const FRESH_MS = 10_000;

export interface Readiness {
  ready: boolean;
  checks: {
    database: { ok: boolean; ms?: number };
    migrations: { ok: boolean; applied?: number; expected: number };
    models: { model: string; ok: boolean; healthy: number; replicas: number }[];
  };
}

function expectedMigrations(): number {
  const journal = JSON.parse(readFileSync(path.join(process.cwd(), "db", "migrations", "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
  return journal.entries.length;
}

function defaultModels(): string[] {
  const catalog = getCatalog();
  const model = findModel(catalog.defaultModel);
  return model?.cascade ? [model.cascade.cheap, model.cascade.strong] : [catalog.defaultModel];
}

function replicaUrls(modelId: string): string[] {
  const model = findModel(modelId);
  if (!model) return [];
  for (const pool of model.pools) watchPool(pool);
  return [...new Set(model.pools.flatMap((p) => p.replicas.map((r) => r.url)))];
}

const healthy = (url: string, now: number) => {
  const r = replicaState(url);
  return r.breaker.state !== "open" && r.remote !== null && now - r.remote.at < FRESH_MS;
};

export async function readiness(): Promise<Readiness> {
  const expected = expectedMigrations();
  let database: Readiness["checks"]["database"] = { ok: false };
  let migrations: Readiness["checks"]["migrations"] = { ok: false, expected };
  try {
    database = { ok: true, ms: Math.round((await pingDb()) * 10) / 10 };
    const applied = await countAppliedMigrations();
    migrations = { ok: applied >= expected, applied, expected };
  } catch {
    // Reported as not ready below; the reason is in the server log of the failing query.
  }
  const ids = defaultModels();
  const urls = ids.flatMap(replicaUrls);
  // Nothing scraped recently (the first request, or polling off): probe once now.
  if (urls.some((u) => !healthy(u, Date.now()))) await pollReplicas();
  const now = Date.now();
  const models = ids.map((model) => {
    const list = replicaUrls(model);
    const n = list.filter((u) => healthy(u, now)).length;
    return { model, ok: n > 0, healthy: n, replicas: list.length };
  });
  return { ready: database.ok && migrations.ok && models.every((m) => m.ok), checks: { database, migrations, models } };
}
