"use client";

import { LoaderCircle, LogOut, MailCheck } from "lucide-react";
import { useActionState } from "react";
import { useFormStatus } from "react-dom";
import { sendVerificationAction, signOutEverywhereAction, type VerifyState } from "@/app/(auth)/actions";
import { SettingsSection } from "./settings-section";

const secondary =
  "inline-flex h-9 shrink-0 items-center justify-center gap-2 rounded-lg border border-border bg-background px-4 text-sm font-medium hover:bg-accent disabled:opacity-60";

/** The "Account" section of /settings: the email and whether it is verified (and what that gates), sign out everywhere. */
export function AccountSection({ email, isGuest, verified }: { email: string | null; isGuest: boolean; verified: boolean }) {
  const [state, send, sending] = useActionState<VerifyState>(sendVerificationAction, undefined);
  return (
    <SettingsSection title="Account">
      <div className="mt-4 divide-y divide-border">
        {isGuest || !email ? (
          <p className="pb-5 text-sm text-muted-foreground">
            You are using a guest account. Create an account to keep your chats; unused guest accounts are deleted after a while.
          </p>
        ) : (
          <div className="flex flex-col gap-3 pb-5 sm:flex-row sm:items-start sm:justify-between">
            <div className="min-w-0">
              <h3 className="text-sm font-medium">Email</h3>
              <p className="mt-0.5 text-sm">
                {email} · {verified ? "verified" : "not verified"}
              </p>
              {verified ? null : (
                <p className="mt-1 text-sm text-muted-foreground">
                  Everything works without verifying. Verifying lets you later sign in with an identity provider for this address
                  without losing your password, and is needed for admin rights given by the operator.
                </p>
              )}
              <p role="status" className="mt-1 text-sm text-muted-foreground empty:hidden">
                {state?.sent ? "A verification link is on its way (without a mail server, the operator finds it in the server log)." : null}
              </p>
              {state?.error ? (
                <p role="alert" className="mt-1 text-sm text-danger">
                  {state.error}
                </p>
              ) : null}
            </div>
            {verified ? null : (
              <form action={send}>
                <button type="submit" disabled={sending} className={secondary}>
                  {sending ? <LoaderCircle className="size-4 animate-spin" aria-hidden /> : <MailCheck className="size-4" aria-hidden />}
                  Send verification link
                </button>
              </form>
            )}
          </div>
        )}
        <div className="flex flex-col gap-3 pt-5 sm:flex-row sm:items-center sm:justify-between">
          <div className="min-w-0">
            <h3 className="text-sm font-medium">Sessions</h3>
            <p className="mt-0.5 text-sm text-muted-foreground">Sign out on every browser and device where this account is signed in, this one included.</p>
          </div>
          <form action={signOutEverywhereAction}>
            <SignOutEverywhereButton />
          </form>
        </div>
      </div>
    </SettingsSection>
  );
}

function SignOutEverywhereButton() {
  const { pending } = useFormStatus();
  return (
    <button type="submit" disabled={pending} className={secondary}>
      {pending ? <LoaderCircle className="size-4 animate-spin" aria-hidden /> : <LogOut className="size-4" aria-hidden />}
      Sign out of all devices
    </button>
  );
}
