import { FlaskConical, ShieldAlert } from "lucide-react";
import type { Metadata } from "next";
import { BackToChat } from "@/components/ui/back-to-chat";
import Link from "next/link";
import { requireAdminUser } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "Admin", robots: { index: false } };

const sections = [
  { href: "/admin/experiments", title: "Experiments", description: "A/B variants: traffic, latency, cost and feedback.", Icon: FlaskConical },
  { href: "/admin/moderation", title: "Moderation review", description: "Flagged inputs and outputs to confirm or dismiss.", Icon: ShieldAlert },
];

// The admin index. Non-admins get a 404 (requireAdminUser), so the page is not discoverable.
export default async function AdminPage() {
  await requireAdminUser();
  return (
    <div className="min-h-dvh bg-subtle">
      <header className="mx-auto flex h-14 w-full max-w-3xl items-center px-2 sm:px-4">
        <BackToChat />
      </header>
      <main className="mx-auto w-full max-w-3xl space-y-6 px-4 pb-16 pt-4 sm:px-6">
        <h1 className="text-2xl font-semibold tracking-tight">Admin</h1>
        <ul className="grid gap-3 sm:grid-cols-2">
          {sections.map(({ href, title, description, Icon }) => (
            <li key={href}>
              <Link href={href} className="flex h-full gap-3 rounded-xl border border-border bg-background p-4 hover:bg-accent">
                <Icon className="mt-0.5 size-5 shrink-0 text-muted-foreground" aria-hidden />
                <span>
                  <span className="block font-medium">{title}</span>
                  <span className="block text-sm text-muted-foreground">{description}</span>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      </main>
    </div>
  );
}
