import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { SharedConversationView } from "@/components/share/shared-conversation";
import { getSharedConversationByToken } from "@/db/queries/shares";
import { getSessionUser } from "@/lib/auth/current-user";
import { attachmentsOf } from "@/lib/files/types";
import { findModel } from "@/lib/models/catalog";

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
      messages={shared.messages.map((m) => ({ id: m.id, role: m.role, content: m.content, attachments: attachmentsOf(m.contentParts) }))}
      signedIn={Boolean(viewer)}
    />
  );
}
