// Tables of DESIGN §4 and their inferred row types. drizzle-kit reads this file to generate
// db/migrations/ (see drizzle.config.ts); queries live in db/queries/.
//
// Every timestamp is timestamptz(3): JavaScript Dates carry milliseconds, so rounding in the database
// makes a value read back and sent again (e.g. inside a pagination cursor) compare equal to the row.
import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  boolean,
  doublePrecision,
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { type FinishReason, finishReasons } from "./enums";

const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: "date" });
const createdAt = () => ts("created_at").notNull().defaultNow();

export const userTiers = ["free", "plus", "team", "enterprise"] as const;
export const userRoles = ["user", "admin"] as const;
export const messageRoles = ["system", "user", "assistant", "tool"] as const;
export { finishReasons };
export const moderationDirections = ["input", "output"] as const;
export const moderationActions = ["allowed", "warned", "blocked", "redacted"] as const;
export const moderationReviewStatuses = ["pending", "confirmed", "dismissed"] as const;

export type UserTier = (typeof userTiers)[number];
export type UserRole = (typeof userRoles)[number];
export type MessageRole = (typeof messageRoles)[number];
export type { FinishReason };
export type ModerationDirection = (typeof moderationDirections)[number];
export type ModerationAction = (typeof moderationActions)[number];
export type ModerationReviewStatus = (typeof moderationReviewStatuses)[number];
/** What the safety layer matched, for the review queue. */
export interface ModerationDetail {
  rules: { category: string; rule: string }[];
  /** Which layer decided: "local", "stream", "model". */
  source: string;
  pii?: string[];
}
export interface ContextInfo {
  /** Earlier messages of the path that did not fit the model's window. */
  omitted: number;
  /** A summary of earlier messages was sent instead. */
  summarized: boolean;
  /** Our estimate of the prompt's tokens (the upstream's own count is in token_count.prompt). */
  promptTokens: number;
  /** A safe-completion instruction went upstream with this prompt (lib/safety/safe-completion.ts); the chat shows crisis resources. */
  safeCompletion?: "crisis";
}
export interface TokenCount {
  prompt: number;
  completion: number;
}

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(", "));

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // Null for guests. Stored lower-cased by the queries; the unique index is on lower(email) anyway.
    email: text("email"),
    name: text("name"),
    passwordHash: text("password_hash"),
    tier: text("tier", { enum: userTiers }).notNull().default("free"),
    isGuest: boolean("is_guest").notNull().default(false),
    role: text("role", { enum: userRoles }).notNull().default("user"),
    aboutMe: text("about_me"),
    responseStyle: text("response_style"),
    customInstructionsEnabled: boolean("custom_instructions_enabled").notNull().default(true),
    // Built-in tools this user turned off in Settings (lib/tools/registry.ts names).
    disabledTools: jsonb("disabled_tools").$type<string[]>().notNull().default([]),
    disabledAt: ts("disabled_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("users_email_lower_idx").on(sql`lower(${t.email})`),
    check("users_tier_check", sql`${t.tier} in (${inList(userTiers)})`),
    check("users_role_check", sql`${t.role} in (${inList(userRoles)})`),
  ],
);

// Server-side session records, so a session can be revoked. The cookie carries a random token;
// only its SHA-256 (hex) is stored here, so a database leak does not leak live sessions.
export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tokenHash: text("token_hash").notNull().unique(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
    revokedAt: ts("revoked_at"),
    lastSeenAt: ts("last_seen_at"),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user_id_idx").on(t.userId)],
);

export const conversations = pgTable(
  "conversations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    title: text("title"),
    model: text("model").notNull(),
    systemPrompt: text("system_prompt"),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    isArchived: boolean("is_archived").notNull().default(false),
    // Unique through the partial index below (most conversations are never shared).
    shareToken: text("share_token"),
    // Message ids below are not foreign keys: messages reference conversations already, and a
    // cycle of foreign keys would make inserts and cascading deletes order-dependent.
    shareMessageId: uuid("share_message_id"),
    currentMessageId: uuid("current_message_id"),
    parentId: uuid("parent_id").references((): AnyPgColumn => conversations.id, { onDelete: "set null" }),
    branchPoint: uuid("branch_point"),
    summary: text("summary"),
    summaryUntilMessageId: uuid("summary_until_message_id"),
  },
  (t) => [
    // NULLS FIRST is PostgreSQL's default for DESC, so `order by updated_at desc, id desc` matches
    // this index exactly (drizzle-kit would otherwise write DESC NULLS LAST, which does not).
    index("conversations_user_updated_idx").on(t.userId, t.updatedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    uniqueIndex("conversations_share_token_idx").on(t.shareToken).where(sql`${t.shareToken} is not null`),
    // Deleting a conversation sets its forks' parent_id to null; this keeps that from a full scan.
    index("conversations_parent_id_idx").on(t.parentId).where(sql`${t.parentId} is not null`),
    index("conversations_title_search_idx").using("gin", sql`to_tsvector('english', coalesce(${t.title}, ''))`),
  ],
);

export const messages = pgTable(
  "messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    conversationId: uuid("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    // The tree: null for a root; siblings are alternative versions (edits, regenerations).
    parentId: uuid("parent_id").references((): AnyPgColumn => messages.id, { onDelete: "cascade" }),
    role: text("role", { enum: messageRoles }).notNull(),
    content: text("content").notNull().default(""),
    contentParts: jsonb("content_parts").$type<unknown[]>(),
    toolCalls: jsonb("tool_calls").$type<unknown[]>(),
    toolCallId: text("tool_call_id"),
    model: text("model"),
    tokenCount: jsonb("token_count").$type<TokenCount>(),
    // Tokens of `content` per BPE encoding ({"o200k_base": 12, …}), counted once when the message
    // is written so that assembling a prompt never re-tokenizes history.
    contentTokens: jsonb("content_tokens").$type<Record<string, number>>(),
    // How the prompt for this reply was assembled (assistant messages): what was left out or summarized.
    context: jsonb("context").$type<ContextInfo>(),
    // Null while the assistant reply is streaming.
    finishReason: text("finish_reason", { enum: finishReasons }),
    // Why a reply is partial (upstream failure, interruption), shown to the user.
    error: text("error"),
    replica: text("replica"),
    // The A/B experiment and variant this reply was generated under (null when not enrolled).
    experiment: text("experiment"),
    variant: text("variant"),
    ttftMs: integer("ttft_ms"),
    latencyMs: integer("latency_ms"),
    // Depth in the tree (root 0), so a path sorts by it.
    sequenceNum: integer("sequence_num").notNull(),
    createdAt: createdAt(),
    // Bumped by every checkpoint of a streaming reply; the interrupted-sweep looks at it.
    updatedAt: ts("updated_at").notNull().defaultNow(),
    // Not declared here: messages.search (tsvector of content, "english") and its GIN index come
    // from custom migrations (0004, 0005: a trigger sets it once the text is final), so ordinary
    // selects never carry the vector; only db/queries/search.ts reads it.
  },
  (t) => [
    index("messages_conversation_seq_idx").on(t.conversationId, t.sequenceNum),
    index("messages_parent_id_idx").on(t.parentId),
    index("messages_streaming_updated_idx")
      .on(t.updatedAt)
      .where(sql`${t.finishReason} is null and ${t.role} = 'assistant'`),
    check("messages_role_check", sql`${t.role} in (${inList(messageRoles)})`),
    check("messages_finish_reason_check", sql`${t.finishReason} in (${inList(finishReasons)})`),
  ],
);

// usage_events is PARTITIONED BY RANGE (created_at), one partition a month. drizzle-kit cannot
// express PARTITION BY, so the generated migration that creates this table was edited by hand to
// append `PARTITION BY RANGE ("created_at")` (db/migrations/0000_*.sql). A partitioned table's
// primary key must include the partition key, hence (id, created_at). Partitions are created by the
// SQL function ensure_usage_partitions(months_ahead) from a custom migration (0001_*.sql), which
// also adds a DEFAULT partition so an insert never fails; db/index.ts calls it at start-up and daily.
// If you change this table, check the next generated migration: drizzle-kit does not know the table
// is partitioned, and some changes (e.g. to the primary key) must be written differently by hand.
// No foreign keys: usage is an append-only ledger that outlives the conversations it counts.
export const usageEvents = pgTable(
  "usage_events",
  {
    id: uuid("id").notNull().defaultRandom(),
    userId: uuid("user_id").notNull(),
    conversationId: uuid("conversation_id"),
    messageId: uuid("message_id"),
    model: text("model").notNull(),
    pool: text("pool"),
    replica: text("replica"),
    experiment: text("experiment"),
    variant: text("variant"),
    promptTokens: integer("prompt_tokens"),
    completionTokens: integer("completion_tokens"),
    estimatedPromptTokens: integer("estimated_prompt_tokens"),
    latencyMs: integer("latency_ms"),
    ttftMs: integer("ttft_ms"),
    // numeric comes back as a string to keep its precision.
    costUsd: numeric("cost_usd", { precision: 12, scale: 6 }),
    finishReason: text("finish_reason"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.id, t.createdAt] }),
    index("usage_events_user_created_idx").on(t.userId, t.createdAt),
    // For the rollup job's scan of the newest minutes (obs block below): rows arrive in created_at
    // order, so a BRIN index is a few pages and costs an insert almost nothing; autosummarize keeps
    // the newest ranges summarized (unsummarized ones are always read).
    index("usage_events_created_brin_idx").using("brin", t.createdAt).with({ autosummarize: "on" }),
  ],
);

export const moderationEvents = pgTable(
  "moderation_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    messageId: uuid("message_id").references(() => messages.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    direction: text("direction", { enum: moderationDirections }).notNull(),
    flagged: boolean("flagged").notNull(),
    // Category → score, e.g. {"violence": 0.91}.
    categories: jsonb("categories").$type<Record<string, number>>(),
    action: text("action", { enum: moderationActions }).notNull(),
    // Review context (issue 9): where it happened and the flagged text itself. A blocked input or
    // output is kept only here, never in messages.
    conversationId: uuid("conversation_id").references(() => conversations.id, { onDelete: "cascade" }),
    model: text("model"),
    content: text("content"),
    detail: jsonb("detail").$type<ModerationDetail>(),
    reviewStatus: text("review_status", { enum: moderationReviewStatuses }).notNull().default("pending"),
    reviewedBy: uuid("reviewed_by").references(() => users.id, { onDelete: "set null" }),
    reviewedAt: ts("reviewed_at"),
    createdAt: createdAt(),
  },
  (t) => [
    // For the cascade when messages are deleted.
    index("moderation_events_message_id_idx").on(t.messageId),
    index("moderation_events_user_created_idx").on(t.userId, t.createdAt),
    index("moderation_events_conversation_id_idx").on(t.conversationId),
    // The review queue: flagged events by status, newest first.
    index("moderation_events_review_idx").on(t.reviewStatus, t.createdAt),
    check("moderation_events_review_status_check", sql`${t.reviewStatus} in (${inList(moderationReviewStatuses)})`),
    check("moderation_events_direction_check", sql`${t.direction} in (${inList(moderationDirections)})`),
    check("moderation_events_action_check", sql`${t.action} in (${inList(moderationActions)})`),
  ],
);

// Keys for the public API (Authorization: Bearer sk-…). A key is 32 random bytes shown once; only
// its SHA-256 (hex) is stored — enough for a secret with 256 bits of entropy (no dictionary to
// guess from, so a slow password hash would add latency to every API call and no safety).
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    keyHash: text("key_hash").notNull().unique(),
    // What the list shows so a user can tell keys apart ("sk-…AbCd"); not enough to use the key.
    hint: text("hint").notNull(),
    createdAt: createdAt(),
    lastUsedAt: ts("last_used_at"),
    revokedAt: ts("revoked_at"),
  },
  (t) => [index("api_keys_user_id_idx").on(t.userId, t.createdAt)],
);

export const feedbackRatings = ["good", "bad"] as const;
export type FeedbackRating = (typeof feedbackRatings)[number];

// "Good response" / "Bad response" on assistant messages: one vote per user per message (a second
// vote replaces the first).
export const feedback = pgTable(
  "feedback",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    messageId: uuid("message_id")
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    rating: text("rating", { enum: feedbackRatings }).notNull(),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("feedback_message_user_idx").on(t.messageId, t.userId),
    index("feedback_user_id_idx").on(t.userId),
    check("feedback_rating_check", sql`${t.rating} in (${inList(feedbackRatings)})`),
  ],
);

// ---- hardening (issue 17): email verification and import jobs ----

// A password account's email, proven by a single-use link. One row per user: the address the link

// ---- files (issue 14): uploads attached to messages -------------------------------------------
export const fileKinds = ["image", "pdf", "text"] as const;
export type FileKindColumn = (typeof fileKinds)[number];

// One row per upload. The bytes live in the file store (lib/files/storage) under storage_key, which
// is made from the owner and the SHA-256, so the same bytes uploaded twice by one user are stored
// once (two rows, one object; the object goes when its last row does). The original file name is
// metadata only, never part of a key or a path. Rows go with their account or conversation
// (cascade); lib/files deletes the objects.
export const files = pgTable(
  "files",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    // Null until the file is sent with a message.
    conversationId: uuid("conversation_id").references(() => conversations.id, { onDelete: "cascade" }),
    messageId: uuid("message_id").references(() => messages.id, { onDelete: "set null" }),
    kind: text("kind", { enum: fileKinds }).notNull(),
    mime: text("mime").notNull(),
    name: text("name").notNull(),
    language: text("language"),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    storageKey: text("storage_key").notNull(),
    width: integer("width"),
    height: integer("height"),
    pages: integer("pages"),
    lines: integer("lines"),
    // Tokens of what a model receives, per encoding ({"o200k_base": 1234}); images: the tile rule.
    tokens: jsonb("tokens").$type<Record<string, number>>().notNull(),
    // PDFs: the text of each page; text files: one element. Null for images.
    pageTexts: jsonb("page_texts").$type<string[]>(),
    createdAt: createdAt(),
  },
  (t) => [
    index("files_user_sha256_idx").on(t.userId, t.sha256),
    index("files_conversation_id_idx").on(t.conversationId),
    index("files_message_id_idx").on(t.messageId),
    check("files_kind_check", sql`${t.kind} in (${inList(fileKinds)})`),
  ],
);
export type FileRow = typeof files.$inferSelect;
export type NewFileRow = typeof files.$inferInsert;
// ---- end files -------------------------------------------------------------------------------

// was sent to (a later change of email needs a new link), the SHA-256 of the pending link's token
// (null once used) and when it was verified. Verified means verified_at is set for the current email.
export const emailVerifications = pgTable("email_verifications", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  email: text("email").notNull(),
  tokenHash: text("token_hash").unique(),
  tokenExpiresAt: ts("token_expires_at"),
  verifiedAt: ts("verified_at"),
  createdAt: createdAt(),
});

export const importJobStatuses = ["running", "done", "failed"] as const;
export type ImportJobStatus = (typeof importJobStatuses)[number];

// A running or finished import, so any instance can show its progress (the inserts run in batches in
// the background on the instance that received the file).
export const importJobs = pgTable(
  "import_jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    source: text("source").notNull(),
    status: text("status", { enum: importJobStatuses }).notNull().default("running"),
    total: integer("total").notNull(),
    imported: integer("imported").notNull().default(0),
    error: text("error"),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    index("import_jobs_user_idx").on(t.userId, t.createdAt),
    check("import_jobs_status_check", sql`${t.status} in (${inList(importJobStatuses)})`),
  ],
);
export type ImportJob = typeof importJobs.$inferSelect;

// ---- Observability (issue 16): metric rollups, instance samples, admin audit log ----

export const rollupGranularities = ["minute", "hour"] as const;
export type RollupGranularity = (typeof rollupGranularities)[number];
/** Upper edges (ms) of the TTFT histogram kept per rollup row; the last bucket is everything above. */
export const ROLLUP_TTFT_EDGES_MS = [50, 100, 150, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 10000] as const;

// Aggregates of usage_events per minute and per hour, by model, tier and pool, so the admin charts
// read a few thousand rows instead of millions. Maintained by a periodic job that recomputes the
// newest minutes from usage_events (db/queries/rollups.ts), never on the reply's save path.
export const usageRollups = pgTable(
  "usage_rollups",
  {
    granularity: text("granularity", { enum: rollupGranularities }).notNull(),
    bucket: ts("bucket").notNull(),
    model: text("model").notNull(),
    tier: text("tier").notNull(),
    pool: text("pool").notNull(),
    requests: integer("requests").notNull(),
    errors: integer("errors").notNull(),
    promptTokens: bigint("prompt_tokens", { mode: "number" }).notNull(),
    completionTokens: bigint("completion_tokens", { mode: "number" }).notNull(),
    costUsd: doublePrecision("cost_usd").notNull(),
    ttftCount: integer("ttft_count").notNull(),
    ttftSumMs: bigint("ttft_sum_ms", { mode: "number" }).notNull(),
    /** Replies per TTFT bucket (ROLLUP_TTFT_EDGES_MS, then one overflow bucket). */
    ttftHist: integer("ttft_hist").array().notNull(),
    /** Sum and count of per-reply tokens per second (first token to last), for the mean. */
    tpsSum: doublePrecision("tps_sum").notNull(),
    tpsCount: integer("tps_count").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.granularity, t.bucket, t.model, t.tier, t.pool] }),
    check("usage_rollups_granularity_check", sql`${t.granularity} in (${inList(rollupGranularities)})`),
  ],
);

// Per-minute samples of what lives only in each instance's memory (queue depth, live replies, save
// latency quantiles, safety checks and blocks, replicas' KV-cache usage), one row per instance.
export const metricSamples = pgTable(
  "metric_samples",
  {
    name: text("name").notNull(),
    minute: ts("minute").notNull(),
    instance: text("instance").notNull(),
    value: doublePrecision("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.name, t.minute, t.instance] })],
);

// What admins did to accounts (tier, role, disable/enable), newest first on the Users page.
export const adminAuditLog = pgTable(
  "admin_audit_log",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    action: text("action").notNull(),
    targetUserId: uuid("target_user_id").references(() => users.id, { onDelete: "set null" }),
    detail: jsonb("detail").$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [index("admin_audit_log_created_idx").on(t.createdAt)],
);

export type UsageRollup = typeof usageRollups.$inferSelect;
export type AdminAuditEntry = typeof adminAuditLog.$inferSelect;

// ---- end of observability block ----

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type Session = typeof sessions.$inferSelect;
export type Conversation = typeof conversations.$inferSelect;
export type NewConversation = typeof conversations.$inferInsert;
export type Message = typeof messages.$inferSelect;
export type NewMessage = typeof messages.$inferInsert;
export type UsageEvent = typeof usageEvents.$inferSelect;
export type NewUsageEvent = typeof usageEvents.$inferInsert;
export type ModerationEvent = typeof moderationEvents.$inferSelect;
export type NewModerationEvent = typeof moderationEvents.$inferInsert;
export type ApiKey = typeof apiKeys.$inferSelect;
export type Feedback = typeof feedback.$inferSelect;
