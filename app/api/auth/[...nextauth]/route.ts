// GET|POST /api/auth/* – Auth.js endpoints (session, CSRF token, sign-in callbacks, sign-out)
// Auth.js reads a POST's body itself, whole and unbounded: here it is read first, with a small bound
// (sign-in forms are a few hundred bytes), and handed on as a fresh NextRequest.
import { NextRequest } from "next/server";
import { handlers } from "@/lib/auth/config";
import { toAppError } from "@/lib/errors";
import { readLimitedBody } from "@/lib/http/body";

const AUTH_MAX_BODY_BYTES = 64 * 1024;

export async function GET(req: Request): Promise<Response> {
  return handlers.GET(req instanceof NextRequest ? req : new NextRequest(req));
}

export async function POST(req: Request): Promise<Response> {
  let body: string;
  try {
    body = await readLimitedBody(req, AUTH_MAX_BODY_BYTES, "Sign-in requests can be at most 64 KB.");
  } catch (err) {
    return toAppError(err).toResponse();
  }
  return handlers.POST(new NextRequest(req.url, { method: "POST", headers: req.headers, body }));
}
