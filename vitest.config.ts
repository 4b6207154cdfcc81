import path from "node:path";
import { defineConfig } from "vitest/config";

// Projects: "inference" (the local vLLM-compatible server), "unit" (pure lib code),
// "db" (queries on PGlite, or on PostgreSQL when DATABASE_URL is set), "api" (route handlers and the
// gateway over real HTTP against the real inference server). Redis tests run when REDIS_URL is set.
const alias = { "@": path.resolve(import.meta.dirname) };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: "inference", include: ["inference/**/*.test.ts"], testTimeout: 30_000 },
      },
      {
        resolve: { alias },
        test: { name: "unit", include: ["lib/**/*.test.ts"], testTimeout: 30_000, server: { deps: { inline: ["next-auth"] } } },
      },
      {
        resolve: { alias },
        test: {
          name: "db",
          include: ["db/**/*.test.ts", "tests/**/*.test.ts"],
          globalSetup: ["db/test/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          env: { PGLITE_DIR: "memory://" },
          // Route handlers import next-auth, whose ESM imports "next/server" without an extension;
          // inlined, Vite resolves it (tests/api serves route handlers over HTTP).
          server: { deps: { inline: ["next-auth"] } },
        },
      },
    ],
  },
});
