"use client";

import { LoaderCircle } from "lucide-react";
import Link from "next/link";
import { useActionState, useState } from "react";
import { useFormStatus } from "react-dom";
import { guestAction, registerAction, signInAction, type AuthFormState } from "@/app/(auth)/actions";

const inputClass =
  "block w-full rounded-lg border border-border bg-background px-3 py-2 text-[15px] outline-none placeholder:text-muted-foreground focus:border-ring focus:ring-2 focus:ring-ring/30 aria-[invalid=true]:border-danger";

// One form with two submit buttons (formAction), so both work without JavaScript too.
export function LoginForm({ isGuest }: { isGuest: boolean }) {
  const [signInState, signIn, signingIn] = useActionState<AuthFormState, FormData>(signInAction, undefined);
  const [registerState, register, registering] = useActionState<AuthFormState, FormData>(registerAction, undefined);
  const [guestState, continueAsGuest] = useActionState<AuthFormState>(guestAction, undefined);
  const [intent, setIntent] = useState<"signin" | "register">(isGuest ? "register" : "signin");
  // Controlled, so React's reset of the form after each action does not wipe the address typed.
  const [email, setEmail] = useState("");
  const state = intent === "register" ? registerState : signInState;
  const pending = signingIn || registering;
  const emailError = state?.fieldErrors?.email;
  const passwordError = state?.fieldErrors?.password;

  return (
    <div className="space-y-5">
      <form action={signIn} className="space-y-4" noValidate>
        {state?.error ? (
          <p role="alert" className="rounded-lg border border-danger-border bg-danger-bg px-3 py-2 text-sm text-danger">
            {state.error}
          </p>
        ) : null}
        <div className="space-y-1.5">
          <label htmlFor="email" className="block text-sm font-medium">
            Email
          </label>
          <input
            id="email"
            name="email"
            type="email"
            autoComplete="email"
            required
            inputMode="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            className={inputClass}
            aria-invalid={emailError ? true : undefined}
            aria-describedby={emailError ? "email-error" : undefined}
          />
          {emailError ? (
            <p id="email-error" className="text-sm text-danger">
              {emailError}
            </p>
          ) : null}
        </div>
        <div className="space-y-1.5">
          <label htmlFor="password" className="block text-sm font-medium">
            Password
          </label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete={intent === "register" ? "new-password" : "current-password"}
            required
            className={inputClass}
            aria-invalid={passwordError ? true : undefined}
            aria-describedby={passwordError ? "password-error" : "password-hint"}
          />
          {passwordError ? (
            <p id="password-error" className="text-sm text-danger">
              {passwordError}
            </p>
          ) : (
            <p id="password-hint" className="text-xs text-muted-foreground">
              New accounts need at least 8 characters.
            </p>
          )}
        </div>
        <div className="flex flex-col gap-2 pt-1">
          <button
            type="submit"
            onClick={() => setIntent("signin")}
            disabled={pending}
            className="inline-flex h-10 items-center justify-center gap-2 rounded-lg bg-primary px-4 text-sm font-medium text-primary-foreground hover:opacity-90 disabled:opacity-60"
          >
            {signingIn ? <LoaderCircle className="size-4 animate-spin" aria-hidden /> : null}
            Sign in
          </button>
          <button
            type="submit"
            formAction={register}
            onClick={() => setIntent("register")}
            disabled={pending}
            className="inline-flex h-10 items-center justify-center gap-2 rounded-lg border border-border bg-background px-4 text-sm font-medium hover:bg-accent disabled:opacity-60"
          >
            {registering ? <LoaderCircle className="size-4 animate-spin" aria-hidden /> : null}
            Create account
          </button>
        </div>
      </form>
      {isGuest ? (
        <Link
          href="/"
          className="block text-center text-sm text-muted-foreground underline-offset-4 hover:text-foreground hover:underline"
        >
          Back to your chats
        </Link>
      ) : (
        <>
          <div className="flex items-center gap-3 text-xs text-muted-foreground" aria-hidden>
            <span className="h-px flex-1 bg-border" />
            or
            <span className="h-px flex-1 bg-border" />
          </div>
          <form action={continueAsGuest} className="space-y-2">
            {guestState?.error ? (
              <p role="alert" className="rounded-lg border border-danger-border bg-danger-bg px-3 py-2 text-sm text-danger">
                {guestState.error}
              </p>
            ) : null}
            <GuestButton />
          </form>
        </>
      )}
    </div>
  );
}

function GuestButton() {
  const { pending } = useFormStatus();
  return (
    <button
      type="submit"
      disabled={pending}
      className="inline-flex h-10 w-full items-center justify-center rounded-lg px-4 text-sm font-medium text-muted-foreground hover:bg-accent hover:text-foreground disabled:opacity-60"
    >
      Continue as guest
    </button>
  );
}
