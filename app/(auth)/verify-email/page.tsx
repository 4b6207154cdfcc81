import type { Metadata } from "next";
import Link from "next/link";
import { LogoMark } from "@/components/ui/logo";
import { verifyEmailToken } from "@/lib/auth/email-verification";

export const metadata: Metadata = { title: "Verify email", referrer: "no-referrer" };

// The link from a verification message: the token is used once, whoever opens it (the link is the
// proof of owning the inbox; no session is needed).
export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const { token } = await searchParams;
  const ok = typeof token === "string" && (await verifyEmailToken(token)) !== null;
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center bg-subtle px-4 py-12">
      <div className="w-full max-w-sm rounded-2xl border border-border bg-background p-6 text-center shadow-sm">
        <LogoMark className="mx-auto mb-4 size-11" />
        <h1 className="text-xl font-semibold tracking-tight">{ok ? "Email verified" : "This link does not work"}</h1>
        <p className="mt-2 text-sm text-muted-foreground">
          {ok
            ? "Your email address is confirmed. Sign-ins with an identity provider for this address now reach your account."
            : "It was already used, has expired, or is for an address the account no longer has. Send a new link from Settings."}
        </p>
        <Link href="/" className="mt-5 inline-block text-sm font-medium underline underline-offset-4">
          Go to your chats
        </Link>
      </div>
    </main>
  );
}
