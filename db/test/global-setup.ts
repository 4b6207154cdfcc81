// Vitest globalSetup for the "db" project. With DATABASE_URL set, every run gets a fresh database
// (created here, dropped at teardown) so runs never see each other's rows or a half-migrated schema.
// Without it, nothing to do: the tests use PGlite in memory (PGLITE_DIR=memory:// in vitest.config.ts).
//
// Workers see the new URL because this runs in the main process before any worker starts, and
// Vitest 4 spawns its workers with an env built from process.env at that point (checked in
// vitest/dist/chunks/cli-api: `{ ...process.env, ...project.config.env }`). It is also `provide`d.
import type { TestProject } from "vitest/node";
import postgres from "postgres";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string | null;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  const baseUrl = process.env.DATABASE_URL?.trim();
  if (!baseUrl) {
    project.provide("databaseUrl", null);
    return;
  }
  const name = `t_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();

  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  project.provide("databaseUrl", url.toString());

  return async () => {
    process.env.DATABASE_URL = baseUrl;
    const sql = postgres(baseUrl, { max: 1, onnotice: () => {} });
    try {
      await sql.unsafe(`drop database if exists "${name}" with (force)`);
    } finally {
      await sql.end();
    }
  };
}
