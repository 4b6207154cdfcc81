export interface SessionUser {
  id: string;
  email: string | null;
  name: string | null;
  isGuest: boolean;
  tier: "free" | "plus" | "team" | "enterprise";
  role: "user" | "admin";
}
