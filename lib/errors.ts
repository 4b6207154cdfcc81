// One error type for the whole app. A code names what went wrong ("not_found:conversation");
// the status, OpenAI error type and the user-facing message follow from it. Internal causes are
// logged, never sent to the client.
import { DbError, type DbErrorCode } from "@/db/errors";
import { currentRequestId } from "@/lib/log/context";
import { log } from "@/lib/log/logger";

export type ErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "not_found_error"
  | "rate_limit_error"
  | "upstream_error"
  | "server_error";

const byType: Record<ErrorType, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  rate_limit_error: 429,
  upstream_error: 502,
  server_error: 500,
};

export interface AppErrorOptions {
  status?: number;
  cause?: unknown;
  headers?: Record<string, string>;
  param?: string | null;
}

export class AppError extends Error {
  readonly type: ErrorType;
  readonly code: string;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly param: string | null;

  constructor(type: ErrorType, code: string, message: string, opts: AppErrorOptions = {}) {
    super(message, { cause: opts.cause });
    this.name = "AppError";
    this.type = type;
    this.code = code;
    this.status = opts.status ?? byType[type];
    this.headers = opts.headers ?? {};
    this.param = opts.param ?? null;
  }

  /** OpenAI's error shape, plus the request id (when inside a request) so a user's report can be found in the logs. */
  toJSON() {
    const requestId = currentRequestId();
    return {
      error: { message: this.message, type: this.type, code: this.code, param: this.param, ...(requestId ? { request_id: requestId } : {}) },
    };
  }

  toResponse(): Response {
    return Response.json(this.toJSON(), { status: this.status, headers: this.headers });
  }
}

export const errors = {
  badRequest: (message: string, code = "invalid_request", param?: string) =>
    new AppError("invalid_request_error", code, message, { param }),
  unauthorized: (message = "You need to sign in.") => new AppError("authentication_error", "unauthorized", message),
  forbidden: (message = "This request is not allowed.", code = "forbidden") =>
    new AppError("permission_error", code, message),
  notFound: (what: string) => new AppError("not_found_error", `not_found:${what}`, `That ${what} does not exist.`),
  unsupportedMediaType: () =>
    new AppError("invalid_request_error", "unsupported_media_type", "Send the request body as application/json.", {
      status: 415,
    }),
  tooLarge: (message: string, code = "context_length_exceeded") =>
    new AppError("invalid_request_error", code, message, { status: 413 }),
  rateLimited: (message: string, retryAfterS: number, headers: Record<string, string> = {}) =>
    new AppError("rate_limit_error", "rate_limit_exceeded", message, {
      headers: { "Retry-After": String(Math.max(1, Math.ceil(retryAfterS))), ...headers },
    }),
  upstream: (message = "The model server failed. Try again.", cause?: unknown, status = 502) =>
    new AppError("upstream_error", "upstream_error", message, { status, cause }),
  unavailable: (message = "The service is busy. Try again shortly.", retryAfterS = 5) =>
    new AppError("upstream_error", "unavailable", message, {
      status: 503,
      headers: { "Retry-After": String(retryAfterS) },
    }),
};

const DB_ERRORS: Record<DbErrorCode, (e: DbError) => AppError> = {
  email_taken: (e) => new AppError("invalid_request_error", "email_taken", "An account with this email already exists.", { status: 409, cause: e }),
  invalid_cursor: () => errors.badRequest("That cursor is not valid; use next_cursor from a previous page.", "invalid_cursor", "before"),
  "not_found:message": () => errors.notFound("message"),
  invalid_parent: () => errors.badRequest("Only a reply to a user message can be regenerated.", "invalid_parent"),
};

/** Map anything thrown into an AppError; unknown errors become a logged, generic 500. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof DbError) return DB_ERRORS[err.code](err);
  // serializeError (the logger's err serializer) keeps a failed query's statement, never its parameters.
  log().error({ err }, "unexpected error");
  return new AppError("server_error", "internal", "Something went wrong on our side.", { cause: err });
}
