// Errors as they may be logged. A failed query's error carries the statement's parameters (drizzle's
// DrizzleQueryError puts them in its message; postgres.js keeps them on the error), which hold message
// text, emails and other user data: only the statement, the database's error code and message are
// kept. PostgreSQL's `detail` ("Key (email)=(…) already exists") repeats values, so it is dropped too.

export interface LoggedError {
  type: string;
  message: string;
  code?: string;
  query?: string;
  stack?: string;
  cause?: LoggedError;
}

const MAX_DEPTH = 4;

function field(err: object, name: string): unknown {
  return (err as Record<string, unknown>)[name];
}

/** A stack's frames only: its first line repeats the message, which may hold values. */
const frames = (stack: string) =>
  stack
    .split("\n")
    .filter((l) => l.startsWith("    at "))
    .join("\n");

const SQLSTATE = /^[0-9A-Z]{5}$/;

export function serializeError(err: unknown, depth = 0): LoggedError {
  if (!(err instanceof Error)) return { type: typeof err, message: typeof err === "string" ? err : "non-error thrown" };
  const query = field(err, "query");
  const code = field(err, "code");
  const isQueryError = err.name === "DrizzleQueryError" || "params" in err || "parameters" in err;
  const isDbError = typeof code === "string" && SQLSTATE.test(code);
  // DrizzleQueryError's message is "Failed query: …\nparams: …"; a database error's message quotes the
  // offending value (invalid input syntax for type uuid: "…"): quoted parts are replaced.
  const message = isDbError ? err.message.replace(/"[^"]*"/g, '"…"') : isQueryError ? "query failed" : err.message;
  const out: LoggedError = {
    type: err.constructor?.name || err.name,
    message,
    ...(typeof code === "string" ? { code } : {}),
    ...(typeof query === "string" ? { query: query.slice(0, 2_000) } : {}),
    ...(err.stack ? { stack: isQueryError || isDbError ? frames(err.stack) : err.stack } : {}),
  };
  if (err.cause !== undefined && depth < MAX_DEPTH) out.cause = serializeError(err.cause, depth + 1);
  return out;
}
