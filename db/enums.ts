// Enum value lists of the tables that code running in the browser needs too (the chat checks a
// reply's finish reason): no drizzle import here, so a client bundle can take them. db/schema.ts
// builds its columns and check constraints from them and re-exports them.

/** messages.finish_reason (DESIGN §4): null while a reply streams, then one of these. */
export const finishReasons = ["stop", "length", "tool_calls", "content_filter", "error", "aborted", "interrupted"] as const;
export type FinishReason = (typeof finishReasons)[number];
