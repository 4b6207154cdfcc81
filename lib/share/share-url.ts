// The public address of a share link. AUTH_URL (the app's canonical URL, which Auth.js uses too)
// wins over the request's own origin, which behind a proxy may be an internal address.
import { env } from "@/lib/env";

export function shareUrl(req: Request, token: string): string {
  const base = env().AUTH_URL?.replace(/\/+$/, "") || new URL(req.url).origin;
  return `${base}/share/${token}`;
}
