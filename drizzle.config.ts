// drizzle-kit: `npx drizzle-kit generate` writes SQL migrations to db/migrations from db/schema.ts.
// The app applies them itself at start-up (db/index.ts); never from `next build`.
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.ts",
  out: "./db/migrations",
});
