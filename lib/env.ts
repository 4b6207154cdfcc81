// The only module that reads process.env. Empty strings count as unset (create-t3-app style).
import { z } from "zod";

const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const int = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === "" ? fallback : Number(v)))
    .pipe(z.number().int().nonnegative());

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).optional().default("development"),
  /** postgres://… — unset means embedded PGlite under DATA_DIR. */
  DATABASE_URL: optional,
  /** Connections in the app's PostgreSQL pool (postgres.js). Durable commits wait for a disk flush, so more lanes keep writes from queueing under load. */
  DATABASE_POOL_MAX: int(20),
  /** Where embedded state lives (PGlite data, files). */
  DATA_DIR: optional.transform((v) => v ?? ".data"),
  /** PGlite data directory; "memory://" keeps it in memory (tests). Defaults to DATA_DIR/pglite. */
  PGLITE_DIR: optional,
  REDIS_URL: optional,
  /** Base URL of an OpenAI-compatible server (vLLM). Unset: npm start runs inference/ locally and sets it. */
  INFERENCE_URL: optional,
  /** Set by npm start when it runs the local simulator, so the catalog can label models honestly. */
  INFERENCE_LOCAL: optional.transform((v) => v === "1" || v === "true"),
  /** JSON or YAML model catalog file; unset uses the built-in catalog. */
  MODELS_CONFIG: optional,
  AUTH_SECRET: optional,
  AUTH_URL: optional,
  /** Upstream stall timeout: a stream silent for this long ends as an error. */
  UPSTREAM_STALL_MS: int(60_000),
  /** Heartbeat comment interval for SSE responses while the model is silent. */
  SSE_HEARTBEAT_MS: int(15_000),
  /** How often a streaming reply's text is checkpointed to the database. */
  CHECKPOINT_MS: int(1_000),
  /** A reply still streaming with no checkpoint for this long is swept as interrupted. */
  STREAM_SWEEP_AFTER_MS: int(120_000),
  /** Bearer token for GET /api/metrics; unset = only requests to localhost. */
  METRICS_TOKEN: optional,
  AUTH_GITHUB_ID: optional,
  AUTH_GITHUB_SECRET: optional,
  AUTH_GOOGLE_ID: optional,
  AUTH_GOOGLE_SECRET: optional,
  AUTH_OIDC_ISSUER: optional,
  AUTH_OIDC_ID: optional,
  AUTH_OIDC_SECRET: optional,
  AUTH_OIDC_NAME: optional,
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  cached ??= schema.parse(process.env);
  return cached;
}

/** Tests change the environment between cases; production never calls this. */
export function resetEnvForTests(): void {
  cached = undefined;
}
