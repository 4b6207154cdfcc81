import type { User } from "@/db/schema";

export interface SessionUser {
  id: string;
  email: string | null;
  name: string | null;
  isGuest: boolean;
  tier: "free" | "plus" | "team" | "enterprise";
  role: "user" | "admin";
  /** Loaded with the session (same row), so a chat turn needs no query of its own for them. */
  customInstructions?: { aboutMe: string | null; responseStyle: string | null; enabled: boolean };
  /** Built-in tools turned off in Settings (same row). Absent: read per turn. */
  disabledTools?: string[];
}

export function toSessionUser(user: User): SessionUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    isGuest: user.isGuest,
    tier: user.tier as SessionUser["tier"],
    role: user.role as SessionUser["role"],
    customInstructions: { aboutMe: user.aboutMe, responseStyle: user.responseStyle, enabled: user.customInstructionsEnabled },
    // A copy: the row may be a cached one shared by other requests (db/queries/auth-cache.ts).
    disabledTools: [...(user.disabledTools ?? [])],
  };
}
