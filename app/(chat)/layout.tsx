import type { ReactNode } from "react";
import { ChatShell } from "@/components/sidebar/chat-shell";
import { requireSessionUser } from "@/lib/auth/current-user";
import { CONVERSATIONS_PAGE_SIZE, toConversationListPage } from "@/lib/query/conversations";
import { listConversationsByUserId } from "@/db/queries/conversations";

// Signed-in shell. The first page of history is read here so the sidebar renders with the page;
// the client query (same shape as GET /v1/conversations) takes over from it.
export default async function ChatLayout({ children }: { children: ReactNode }) {
  const user = await requireSessionUser();
  const firstPage = await listConversationsByUserId({ userId: user.id, limit: CONVERSATIONS_PAGE_SIZE });
  return (
    <ChatShell
      account={{ email: user.email, name: user.name, isGuest: user.isGuest }}
      initialPage={toConversationListPage(firstPage)}
    >
      {children}
    </ChatShell>
  );
}
