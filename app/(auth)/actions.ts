"use server";
// Sign-in, registration, guest and sign-out server actions. Every export here is a public endpoint:
// each validates its input and Next.js rejects cross-origin action calls.
import { AuthError } from "next-auth";
import { headers } from "next/headers";
import { z } from "zod";
import { signIn, signOut } from "@/lib/auth/config";
import { admitAccountCreation } from "@/lib/auth/creation-limits";
import { currentSessionToken, getSessionUser } from "@/lib/auth/current-user";
import { sendVerificationLink } from "@/lib/auth/email-verification";
import { hashPassword } from "@/lib/auth/password";
import { closeServerSession } from "@/lib/auth/server-session";
import { clientIp } from "@/lib/http/client-ip";
import { revokeSessionsByUserId } from "@/db/queries/sessions";
import { createUser, upgradeGuestUser } from "@/db/queries/users";

export type AuthFormState = { error?: string; fieldErrors?: { email?: string; password?: string } } | undefined;

const registerSchema = z.object({
  email: z.string().trim().toLowerCase().email("Enter a valid email address.").max(320),
  password: z
    .string()
    .min(8, "Use at least 8 characters.")
    .max(1024, "That password is too long."),
});

function fieldErrors(error: z.ZodError): AuthFormState {
  const flat = z.flattenError(error).fieldErrors as { email?: string[]; password?: string[] };
  return { fieldErrors: { email: flat.email?.[0], password: flat.password?.[0] } };
}

async function signInWithPassword(email: string, password: string): Promise<AuthFormState> {
  try {
    await signIn("credentials", { email, password, redirectTo: "/" });
  } catch (err) {
    if (err instanceof AuthError) {
      const code = (err as AuthError & { code?: string }).code;
      return {
        error:
          code === "too_many_attempts"
            ? "Too many sign-in attempts. Wait a minute and try again."
            : "That email and password do not match an account.",
      };
    }
    throw err; // NEXT_REDIRECT on success
  }
  return undefined;
}

export async function signInAction(_prev: AuthFormState, form: FormData): Promise<AuthFormState> {
  const email = String(form.get("email") ?? "").trim().toLowerCase();
  const password = String(form.get("password") ?? "");
  if (!email || !password) return { error: "Enter your email and password." };
  return signInWithPassword(email, password);
}

export async function registerAction(_prev: AuthFormState, form: FormData): Promise<AuthFormState> {
  const parsed = registerSchema.safeParse({ email: form.get("email"), password: form.get("password") });
  if (!parsed.success) return fieldErrors(parsed.error);
  const { email, password } = parsed.data;
  const h = await headers();
  // Counted before the argon2 hash, the expensive part an unthrottled loop would make us repeat.
  if (!(await admitAccountCreation("signup", clientIp(h))).ok) {
    return { error: "Too many accounts were created from your network. Try again in an hour." };
  }
  const passwordHash = await hashPassword(password);
  const current = await getSessionUser();
  try {
    const user = current?.isGuest
      ? // A guest who registers keeps its chats: the same user row becomes a full account.
        await upgradeGuestUser({ id: current.id, email, name: null, passwordHash })
      : await createUser({ email, name: null, passwordHash, isGuest: false });
    if (!user) return { error: "Could not upgrade this guest account." };
    // The link's origin is configured (AUTH_URL, else the server's own address), never this request's Host.
    await sendVerificationLink({ id: user.id, email });
  } catch (err) {
    if ((err as { code?: string }).code === "email_taken") {
      return { fieldErrors: { email: "An account with this email already exists. Sign in instead." } };
    }
    throw err;
  }
  const token = await currentSessionToken();
  if (token && current?.isGuest) await closeServerSession(token);
  return signInWithPassword(email, password);
}

export async function guestAction(): Promise<AuthFormState> {
  try {
    await signIn("guest", { redirectTo: "/" });
  } catch (err) {
    if (err instanceof AuthError && (err as AuthError & { code?: string }).code === "too_many_guests") {
      return { error: "Too many guest sessions were started from your network. Try again later, or create an account." };
    }
    throw err; // NEXT_REDIRECT on success
  }
  return undefined;
}

/** Settings → "Sign out of all devices": every session of the account is revoked, this one too. */
export async function signOutEverywhereAction(): Promise<void> {
  const user = await getSessionUser();
  if (user) await revokeSessionsByUserId({ userId: user.id });
  await signOut({ redirectTo: "/login" });
}

export type VerifyState = { sent?: boolean; error?: string } | undefined;

/** Settings → "Send verification link" for a password account's email. */
export async function sendVerificationAction(): Promise<VerifyState> {
  const user = await getSessionUser();
  if (!user || user.isGuest || !user.email) return { error: "Sign in with an email account first." };
  const h = await headers();
  // The same per-address budget as registration: each link is a row written and a log line.
  if (!(await admitAccountCreation("signup", clientIp(h))).ok) return { error: "Too many links were requested. Try again in an hour." };
  await sendVerificationLink({ id: user.id, email: user.email });
  return { sent: true };
}

export async function signOutAction(): Promise<void> {
  const token = await currentSessionToken();
  if (token) await closeServerSession(token);
  await signOut({ redirectTo: "/login" });
}
