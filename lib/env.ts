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

const float = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === "" ? fallback : Number(v)))
    .pipe(z.number().positive());

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
  /** Prefix of the live store's Redis keys and channel (several deployments or test runs on one Redis). */
  LIVE_KEY_PREFIX: optional.transform((v) => v ?? "chatgate:"),
  /** "memory" keeps live replies in process even with REDIS_URL set (one instance only; the bench compares the two). */
  LIVE_STORE: optional.transform((v) => v ?? "auto").pipe(z.enum(["auto", "memory"])),
  /** Upstash REST Redis for the limits, used when REDIS_URL is unset (serverless deployments). */
  UPSTASH_REDIS_REST_URL: optional,
  UPSTASH_REDIS_REST_TOKEN: optional,
  /** JSON or YAML file of tier limits; unset uses the built-in table (README "Limits"). */
  LIMITS_CONFIG: optional,
  /** When the limits' Redis cannot be reached: "open" admits (logged + metric), "closed" answers 503. */
  LIMITS_ON_REDIS_ERROR: z.enum(["open", "closed"]).optional().default("open"),
  /** Milliseconds a limit check may wait for Redis before the policy above applies. */
  LIMITS_REDIS_TIMEOUT_MS: int(500),
  /** A pool is saturated when its replicas report at least this many waiting requests (vLLM metric). */
  PRIORITY_SATURATED_WAITING: int(1),
  /** Low-priority (free) requests that may wait for a saturated pool on this instance; more are shed. */
  PRIORITY_QUEUE_MAX: int(100),
  /** How long a low-priority request waits for a saturated pool before it is shed with 503. */
  PRIORITY_MAX_WAIT_MS: int(10_000),
  /** Base URL of an OpenAI-compatible server (vLLM). Unset: npm start runs inference/ locally and sets it. */
  INFERENCE_URL: optional,
  /** Set by npm start when it runs the local simulator, so the catalog can label models honestly. */
  INFERENCE_LOCAL: optional.transform((v) => v === "1" || v === "true"),
  /** JSON or YAML model catalog file; unset uses the built-in catalog. */
  MODELS_CONFIG: optional,
  AUTH_SECRET: optional,
  AUTH_URL: optional,
  /** Where the app server listens (npm start; scripts/server.ts also takes --port/--hostname and sets these). */
  PORT: int(3000),
  HOST: optional,
  /** Upstream stall timeout: a stream silent for this long ends as an error. */
  UPSTREAM_STALL_MS: int(60_000),
  /** Heartbeat comment interval for SSE responses while the model is silent. */
  SSE_HEARTBEAT_MS: int(15_000),
  /** How often a streaming reply's text is checkpointed to the database. */
  CHECKPOINT_MS: int(1_000),
  /** A reply still streaming with no checkpoint for this long is swept as interrupted. */
  STREAM_SWEEP_AFTER_MS: int(120_000),
  /** JSON or YAML safety configuration (thresholds, actions, PII policy); unset uses the built-in default (lib/safety/config.ts). */
  SAFETY_CONFIG: optional,
  /** An OpenAI-compatible /v1/moderations endpoint (full URL) checked on input beside the local layer. */
  MODERATION_URL: optional,
  MODERATION_API_KEY: optional,
  /**
   * Comma-separated emails made admins when they sign in (password or OAuth). A password account must
   * exist before the instance is reachable by others, or someone else could register the address first.
   */
  ADMIN_EMAILS: z
    .string()
    .optional()
    .transform((v) => (v ?? "").split(",").map((e) => e.trim().toLowerCase()).filter(Boolean)),
  /** Bearer token for GET /api/metrics; unset = only clients on this machine (the socket's address is loopback). */
  METRICS_TOKEN: optional,
  /** Replica choice inside a pool: affinity (least load + bounded consistent hashing), least-load, round-robin. */
  ROUTER_STRATEGY: z.enum(["affinity", "least-load", "round-robin"]).optional().default("affinity"),
  /** How often each replica's /health and /metrics are polled; 0 = never (tests drive polls). */
  ROUTER_POLL_MS: int(1_000),
  /** Affinity load bound: a conversation leaves its replica when that one's load exceeds this × the pool average. */
  ROUTER_AFFINITY_BOUND: float(1.25),
  /** Consecutive failures that eject a replica (circuit breaker opens). */
  ROUTER_FAILURE_THRESHOLD: int(3),
  /** No first token from a replica this long: cancel and retry once elsewhere (0 = wait for UPSTREAM_STALL_MS). */
  ROUTER_FIRST_TOKEN_TIMEOUT_MS: int(30_000),
  /** Minimum time an ejected replica stays out before a successful probe re-admits it (half-open). */
  ROUTER_OPEN_MS: int(2_000),
  /** Uploaded files on local disk (when S3_BUCKET is unset); default DATA_DIR/files. */
  FILES_DIR: optional,
  /** S3-compatible object store for uploaded files; set S3_BUCKET to use it. */
  S3_ENDPOINT: optional,
  S3_BUCKET: optional,
  S3_REGION: optional.transform((v) => v ?? "us-east-1"),
  S3_ACCESS_KEY_ID: optional,
  S3_SECRET_ACCESS_KEY: optional,
  /** An upload never sent with a message is deleted (row and object) after this many hours (0 = never). */
  FILES_UNSENT_HOURS: int(24),
  // ---- hardening (issue 17): client address, sign-up limits, guests, verification ----
  /**
   * Comma-separated proxies whose X-Forwarded-For is believed (CIDRs, addresses, or proxy-addr's
   * names loopback / linklocal / uniquelocal). Unset: the socket's address is the client, always.
   */
  TRUSTED_PROXIES: z
    .string()
    .optional()
    .transform((v) => (v ?? "").split(",").map((e) => e.trim()).filter(Boolean)),
  /** Guest accounts one client address may create per hour (shared across instances with Redis). */
  GUESTS_PER_IP_PER_HOUR: int(20),
  /** Password accounts one client address may create per hour. */
  SIGNUPS_PER_IP_PER_HOUR: int(10),
  /** Failed sign-ins one client address may make per 15 minutes, over all accounts. */
  LOGIN_FAILURES_PER_IP: int(50),
  /** A guest account unused for this many days is deleted with its chats (0 = never). */
  GUEST_IDLE_DAYS: int(30),
  AUTH_GITHUB_ID: optional,
  AUTH_GITHUB_SECRET: optional,
  AUTH_GOOGLE_ID: optional,
  AUTH_GOOGLE_SECRET: optional,
  AUTH_OIDC_ISSUER: optional,
  AUTH_OIDC_ID: optional,
  AUTH_OIDC_SECRET: optional,
  AUTH_OIDC_NAME: optional,
  /** pino level of the structured logs on stdout: fatal, error, warn, info, debug, trace, silent. */
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional().default("info"),
  /** Web search backend for the web_search tool; unset = web search off (the tool says why). */
  SEARCH_PROVIDER: optional.pipe(z.enum(["searxng", "brave", "tavily"]).optional()),
  /** SearXNG base URL (required for searxng); optional endpoint override for brave/tavily. */
  SEARCH_URL: optional,
  /** API key for brave/tavily. */
  SEARCH_API_KEY: optional,
  /**
   * TEST ONLY: comma-separated "ip:port" (or "localhost:port") pairs the SSRF-safe fetch may connect to although they are
   * not public (a local page server in tests). Never set it in production.
   */
  SAFE_FETCH_ALLOW_HOSTS: optional,
  /** Warm code-interpreter processes kept ready (each ~100 MB); 0 = start one per run. */
  PYTHON_POOL_SIZE: int(2),
  /** Wall-clock limit of one code run (ms); an interrupt first, SIGKILL 1 s later. */
  PYTHON_TIMEOUT_MS: int(30_000),
  /** Memory limit of one code-interpreter process (MiB, resident; WebAssembly memory included). */
  PYTHON_MEMORY_MB: int(512),
  /** "off" disables the code interpreter; "auto" uses it when the host can sandbox it. */
  PYTHON_SANDBOX: z.enum(["auto", "off"]).optional().default("auto"),
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
