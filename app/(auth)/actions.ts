"use server";
// Sign-in, registration, guest and sign-out server actions. Every export here is a public endpoint:
// each validates its input and Next.js rejects cross-origin action calls.
import { AuthError } from "next-auth";
import { z } from "zod";
import { signIn, signOut } from "@/lib/auth/config";
import { currentSessionToken, getSessionUser } from "@/lib/auth/current-user";
import { hashPassword } from "@/lib/auth/password";
import { closeServerSession } from "@/lib/auth/server-session";
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
            ? "Too many sign-in attempts. Wait 15 minutes and try again."
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
  const passwordHash = await hashPassword(password);
  const current = await getSessionUser();
  try {
    if (current?.isGuest) {
      // A guest who registers keeps its chats: the same user row becomes a full account.
      const upgraded = await upgradeGuestUser({ id: current.id, email, name: null, passwordHash });
      if (!upgraded) return { error: "Could not upgrade this guest account." };
    } else {
      await createUser({ email, name: null, passwordHash, isGuest: false });
    }
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

export async function guestAction(): Promise<void> {
  await signIn("guest", { redirectTo: "/" });
}

export async function signOutAction(): Promise<void> {
  const token = await currentSessionToken();
  if (token) await closeServerSession(token);
  await signOut({ redirectTo: "/login" });
}
