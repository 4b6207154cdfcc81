// A throw-away database for a standalone bench scenario: a fresh PostgreSQL database beside
// DATABASE_URL (dropped by the returned function), or an in-memory PGlite when it is unset. Sets the
// environment that db/index.ts reads, so call it before importing the database module.
import postgres from "postgres";

export async function createScratchDatabase(prefix: string): Promise<{ drop: (() => Promise<void>) | null }> {
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) {
    process.env.PGLITE_DIR = process.env.PGLITE_DIR || "memory://";
    return { drop: null };
  }
  const name = `${prefix}_${Date.now()}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  return {
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
