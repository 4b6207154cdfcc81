// The wrapper every route handler goes through: authenticate (session cookie, or an API key where
// the route allows one),
// reject cross-site writes, parse the JSON body with the route's zod schema, map errors to the
// OpenAI error shape. Handlers get a typed context and never see an unauthenticated request.
import type { z } from "zod";
import { bearerToken, userForApiKey } from "@/lib/auth/api-keys";
import { sessionUserFromCookies } from "@/lib/auth/cookie-session";
import type { SessionUser } from "@/lib/auth/session-user";
import { AppError, errors, toAppError } from "@/lib/errors";
import { DEFAULT_MAX_BODY_BYTES, parseJsonBody, readLimitedBody } from "./body";
import { assertSameOrigin } from "./csrf";

type Params = Record<string, string | string[] | undefined>;

export interface RouteContext<P extends Params, B> {
  req: Request;
  user: SessionUser;
  params: P;
  body: B;
}

interface Options<B> {
  body?: z.ZodType<B>;
  /** Also accept `Authorization: Bearer sk-…` (the public API). Settings routes leave this off. */
  apiKey?: boolean;
  /** The largest body read (default 2 MB, as the app server's streaming routes); larger is 413 before parsing. */
  maxBodyBytes?: number;
  /** The 413 message when the body is larger. */
  tooLargeMessage?: string;
  /** The handler reads a multipart body itself (file uploads); no JSON body is parsed. */
  multipart?: boolean;
}


export function userRoute<P extends Params = Params, B = undefined>(
  opts: Options<B>,
  handler: (ctx: RouteContext<P, B>) => Promise<Response>,
): (req: Request, ctx: { params: Promise<P> }) => Promise<Response> {
  return async (req, ctx) => {
    try {
      const key = opts.apiKey ? bearerToken(req) : null;
      const user = key !== null ? await userForApiKey(key) : await sessionUserFromCookies(req.headers.get("cookie"));
      if (!user) {
        throw key !== null
          ? new AppError("authentication_error", "invalid_api_key", "Incorrect API key provided. Create one under Settings → API keys.")
          : errors.unauthorized();
      }
      // A bearer key is not an ambient credential a browser attaches by itself: no cross-site check.
      if (key === null) assertSameOrigin(req, opts.multipart ? "multipart" : "json");
      const body = opts.body ? await parseBody(req, opts.body, opts) : (undefined as B);
      return await handler({ req, user, params: await ctx.params, body });
    } catch (err) {
      return toAppError(err).toResponse();
    }
  };
}

async function parseBody<B>(req: Request, schema: z.ZodType<B>, opts: Options<B>): Promise<B> {
  const maxBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const text = await readLimitedBody(req, maxBytes, opts.tooLargeMessage ?? `The request body is larger than ${Math.round(maxBytes / 1024 / 1024)} MB.`);
  const raw = parseJsonBody(text);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join(".") || null;
    throw new AppError("invalid_request_error", "invalid_request", `${path ? `${path}: ` : ""}${issue?.message ?? "invalid body"}`, {
      param: path,
    });
  }
  return parsed.data;
}
