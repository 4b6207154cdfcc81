import { cookies } from "next/headers";
import type { ReactNode } from "react";
import { ChatShell } from "@/components/sidebar/chat-shell";
import { clockAt, TZ_COOKIE } from "@/components/sidebar/date-groups";
import { requireSessionUser } from "@/lib/auth/current-user";
import { CONVERSATIONS_PAGE_SIZE, toConversationListPage } from "@/lib/query/conversations";
import { listConversationsByUserId } from "@/db/queries/conversations";

// Signed-in shell. The first page of history is read here so the sidebar renders with the page;
// the client query (same shape as GET /v1/conversations) takes over from it. Its date sections are
// computed in the time zone the browser reported (cookie), so the first paint matches the browser.
export default async function ChatLayout({ children }: { children: ReactNode }) {
  const user = await requireSessionUser();
  const [firstPage, jar] = await Promise.all([
    listConversationsByUserId({ userId: user.id, limit: CONVERSATIONS_PAGE_SIZE }),
    cookies(),
  ]);
  let timeZone = jar.get(TZ_COOKIE)?.value ?? "UTC";
  try {
    timeZone = decodeURIComponent(timeZone);
  } catch {
    // clockAt falls back to UTC for anything that is not a time zone
  }
  return (
    <ChatShell
      account={{ email: user.email, name: user.name, isGuest: user.isGuest, isAdmin: user.role === "admin" }}
      initialPage={toConversationListPage(firstPage)}
      clock={clockAt(new Date(), timeZone)}
    >
      {children}
    </ChatShell>
  );
}
