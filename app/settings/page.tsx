import { ArrowLeft } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { CustomInstructionsForm } from "@/components/settings/custom-instructions-form";
import { DataSection } from "@/components/settings/data-section";
import { ThemeToggle } from "@/components/theme-toggle";
import { requireSessionUser } from "@/lib/auth/current-user";
import { CUSTOM_INSTRUCTIONS_MAX } from "@/lib/settings/custom-instructions";
import { getCustomInstructionsByUserId } from "@/db/queries/users";

export const metadata: Metadata = { title: "Settings" };

// The user's settings. Saved values are read here so the form renders filled in; the client query
// (same shape as GET /api/settings/custom-instructions) takes over from them.
export default async function SettingsPage() {
  const user = await requireSessionUser();
  const ci = await getCustomInstructionsByUserId({ userId: user.id });
  return (
    <div className="min-h-dvh bg-subtle">
      <header className="mx-auto flex h-14 w-full max-w-2xl items-center justify-between gap-2 px-2 sm:px-4">
        <Link
          href="/"
          className="inline-flex items-center gap-1.5 rounded-lg px-2.5 py-1.5 text-sm font-medium text-muted-foreground hover:bg-accent hover:text-foreground"
        >
          <ArrowLeft className="size-4" aria-hidden />
          Back to chat
        </Link>
        <ThemeToggle />
      </header>
      <main className="mx-auto w-full max-w-2xl space-y-6 px-4 pb-16 pt-4 sm:px-6">
        <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
        <CustomInstructionsForm
          maxLength={CUSTOM_INSTRUCTIONS_MAX}
          initial={{
            about_me: ci?.aboutMe ?? "",
            response_style: ci?.responseStyle ?? "",
            enabled: ci?.enabled ?? true,
          }}
        />
        <DataSection />
      </main>
    </div>
  );
}
