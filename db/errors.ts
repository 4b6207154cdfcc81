// Errors the queries throw on purpose. The gateway maps `code` to its own AppError (lib/errors.ts);
// db/ does not import lib/ (dependencies point app → lib → db), except lib/env.
export type DbErrorCode =
  | "email_taken" // createUser / upgradeGuestUser: another account has this email
  | "invalid_cursor" // listConversationsByUserId: `before` is not a cursor we issued
  | "not_found:message" // startTurn: parentId is not a message of this conversation
  | "invalid_parent"; // startTurn: a regenerate whose parent is not a user message

export class DbError extends Error {
  readonly code: DbErrorCode;

  constructor(code: DbErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DbError";
    this.code = code;
  }
}

/** The SQLSTATE of a PostgreSQL error, from either driver, through drizzle's DrizzleQueryError wrapper. */
export function pgErrorCode(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

export const UNIQUE_VIOLATION = "23505";
