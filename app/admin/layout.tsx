import type { Metadata } from "next";
import type { ReactNode } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { BackToChat } from "@/components/ui/back-to-chat";
import { requireAdminUser } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: { default: "Admin", template: "%s · Admin · Chatgate" }, robots: { index: false } };

// The admin console's shell: every page under /admin is admins-only (anyone else gets a 404, so the
// console is not discoverable); each page checks again, since a layout does not guard its pages' data.
export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requireAdminUser();
  return (
    <div className="min-h-dvh bg-subtle">
      <header className="mx-auto flex w-full max-w-6xl flex-wrap items-center gap-2 px-2 py-2 sm:px-4">
        <BackToChat />
        <AdminNav />
      </header>
      <main className="mx-auto w-full max-w-6xl space-y-6 px-4 pb-16 pt-2 sm:px-6">{children}</main>
    </div>
  );
}
