import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { ThemeToggle } from "@/components/theme-toggle";
import { LogoMark, PRODUCT_NAME } from "@/components/ui/logo";
import { getSessionUser } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage() {
  const user = await getSessionUser();
  // A guest may come here to create an account (registering upgrades the guest and keeps its chats).
  if (user && !user.isGuest) redirect("/");

  return (
    <main className="relative flex min-h-dvh flex-col items-center justify-center bg-subtle px-4 py-12">
      <ThemeToggle className="absolute right-3 top-3" />
      <div className="w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center text-center">
          <LogoMark className="mb-4 size-11" />
          <h1 className="text-2xl font-semibold tracking-tight">{PRODUCT_NAME}</h1>
          <p className="mt-1.5 text-sm text-muted-foreground">Your own ChatGPT-class assistant, on your own servers.</p>
        </div>
        <div className="rounded-2xl border border-border bg-background p-6 shadow-sm">
          <LoginForm isGuest={user?.isGuest ?? false} />
        </div>
        <p className="mt-6 text-center text-xs text-muted-foreground">
          Guest chats are kept on this device&apos;s session, and unused guest accounts are deleted after a while. Create an account to keep them for good.
        </p>
      </div>
    </main>
  );
}
