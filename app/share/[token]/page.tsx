import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { SharedConversationView } from "@/components/share/shared-conversation";
import { getSharedConversationByToken } from "@/db/queries/shares";
import { getSessionUser } from "@/lib/auth/current-user";
import { findModel } from "@/lib/models/catalog";
import { toChatUIMessages } from "@/lib/chat/ui-messages";
import type { SharedConversation } from "@/db/queries/shares";

type Props = { params: Promise<{ token: string }> };

// Metadata and page read the snapshot once per request. Unknown and revoked tokens are a 404.
const loadShared = cache((token: string) => getSharedConversationByToken({ token }));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const shared = await loadShared((await params).token);
  const title = shared?.title?.trim() || "Shared conversation";
  return {
    title: shared ? title : "Not found",
    // Shared chats are for the people given the link, not for search engines; and the token in
    // this URL must not leak to the sites its links point to.
    robots: { index: false, follow: false },
    referrer: "no-referrer",
    openGraph: shared ? { title, type: "article", siteName: "Chatgate", description: "A conversation shared from Chatgate." } : undefined,
  };
}

/** Read-only, no sign-in needed: the snapshot's title and messages, never the owner or their prompts. */
export default async function SharePage({ params }: Props) {
  const { token } = await params;
  const [shared, viewer] = await Promise.all([loadShared(token), getSessionUser()]);
  if (!shared) notFound();
  return (
    <SharedConversationView
      token={token}
      title={shared.title?.trim() || "Shared conversation"}
      modelLabel={findModel(shared.model)?.label ?? shared.model}
      messages={sharedMessages(shared.messages)}
      signedIn={Boolean(viewer)}
    />
  );
}

/** The snapshot as the chat shows it: a reply's tool chain folds into that reply, with its steps. */
function sharedMessages(messages: SharedConversation["messages"]) {
  const folded = toChatUIMessages(messages.map((m) => ({ ...m, parentId: null, error: null, context: null })));
  return folded.map((m) => ({
    id: m.id,
    role: m.role,
    content: m.parts.map((p) => (p.type === "text" ? p.text : "")).join(""),
    attachments: m.metadata?.attachments ?? [],
    ...(m.parts.some((p) => p.type === "dynamic-tool") ? { parts: m.parts } : {}),
  }));
}
