export interface SessionUser {
  id: string;
  email: string | null;
  name: string | null;
  isGuest: boolean;
  tier: "free" | "plus" | "team" | "enterprise";
  role: "user" | "admin";
  /** Loaded with the session (same row), so a chat turn needs no query of its own for them. */
  customInstructions?: { aboutMe: string | null; responseStyle: string | null; enabled: boolean };
}
