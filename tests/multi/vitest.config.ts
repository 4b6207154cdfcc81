// The multi-instance suite (npm run test:multi): its own config, because it starts a whole topology
// (simulator, two production app servers, PostgreSQL database, Redis, HAProxy) once for one file
// whose tests run in order. *.multi.ts, so the db project's tests/**/*.test.ts does not pick it up.
import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.resolve(import.meta.dirname, "../..");

export default defineConfig({
  resolve: { alias: { "@": root } },
  test: {
    root,
    include: ["tests/multi/**/*.multi.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
