import type { Metadata } from "next";
import { BackToChat } from "@/components/ui/back-to-chat";
import { CustomInstructionsForm } from "@/components/settings/custom-instructions-form";
import { ApiKeysSection } from "@/components/settings/api-keys-section";
import { AccountSection } from "@/components/settings/account-section";
import { DataSection } from "@/components/settings/data-section";
import { UsageSection } from "@/components/settings/usage-section";
import { ToolsSection } from "@/components/settings/tools-section";
import { toolSettingsJson } from "@/lib/settings/tools";
import { ThemeToggle } from "@/components/theme-toggle";
import { requireSessionUser } from "@/lib/auth/current-user";
import { CUSTOM_INSTRUCTIONS_MAX } from "@/lib/settings/custom-instructions";
import { getCustomInstructionsByUserId, getDisabledTools, isEmailVerifiedByUserId } from "@/db/queries/users";
import { headers } from "next/headers";
import { listApiKeysByUserId } from "@/db/queries/api-keys";
import { getUsageTotalsByUserId } from "@/db/queries/usage";
import { limitsOverview } from "@/lib/limits/usage-limits";
import { apiKeyJson } from "@/lib/settings/api-keys";

export const metadata: Metadata = { title: "Settings" };

// The user's settings. Saved values are read here so the form renders filled in; the client query
// (same shape as GET /api/settings/custom-instructions) takes over from them.
export default async function SettingsPage() {
  const user = await requireSessionUser();
  const now = new Date();
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const nextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  const [ci, keys, totals, limits, h, verified, disabledTools] = await Promise.all([
    getCustomInstructionsByUserId({ userId: user.id }),
    listApiKeysByUserId({ userId: user.id }),
    getUsageTotalsByUserId({ userId: user.id, from: monthStart, to: nextMonth }),
    // Counts unavailable (Redis down, policy "closed"): the page still renders, without them.
    limitsOverview(user).catch(() => null),
    headers(),
    isEmailVerifiedByUserId({ userId: user.id }),
    getDisabledTools({ userId: user.id }),
  ]);
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost:3000";
  const proto = h.get("x-forwarded-proto") ?? (host.startsWith("localhost") || host.startsWith("127.") ? "http" : "https");
  const period = `This month (${monthStart.toLocaleDateString("en-US", { month: "long", year: "numeric", timeZone: "UTC" })})`;
  return (
    <div className="min-h-dvh bg-subtle">
      <header className="mx-auto flex h-14 w-full max-w-2xl items-center justify-between gap-2 px-2 sm:px-4">
        <BackToChat />
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
        <ToolsSection initial={toolSettingsJson(disabledTools).tools} />
        <UsageSection tier={user.tier} period={period} totals={totals} limits={limits} />
        <ApiKeysSection initial={keys.map(apiKeyJson)} apiBaseUrl={`${proto}://${host}/v1`} />
        <DataSection />
        <AccountSection email={user.email} isGuest={user.isGuest} verified={verified} />
      </main>
    </div>
  );
}
