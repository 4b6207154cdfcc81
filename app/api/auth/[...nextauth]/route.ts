// GET|POST /api/auth/* – Auth.js endpoints (session, CSRF token, OAuth callbacks)
import { handlers } from "@/lib/auth/config";

export const { GET, POST } = handlers;
