import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { Chat } from "@/components/chat/chat";
import { pickModel } from "@/components/chat/pick-model";
import { requireSessionUser } from "@/lib/auth/current-user";
import { toChatUIMessages } from "@/lib/chat/ui-messages";
import { getCatalog, listUiModels } from "@/lib/models/catalog";
import { getConversationById } from "@/db/queries/conversations";
import { getActivePathWithSiblings } from "@/db/queries/branches";
import { listFeedbackByMessageIds } from "@/db/queries/feedback";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ m?: string | string[] }> };

// Metadata and page read the same row once per request. Another user's conversation is null → 404.
const loadConversation = cache(async (id: string) => {
  const user = await requireSessionUser();
  return { user, conversation: await getConversationById({ id, userId: user.id }) };
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { conversation } = await loadConversation((await params).id);
  return { title: conversation?.title?.trim() || "New chat" };
}

// `?m=<message id>` (from search) scrolls to that message and highlights it, if it is on the active path.
export default async function ChatPage({ params, searchParams }: Props) {
  const { id } = await params;
  const { m } = await searchParams;
  const { user, conversation } = await loadConversation(id);
  if (!conversation) notFound();
  const path = await getActivePathWithSiblings({ conversationId: id, userId: user.id });
  const feedback = await listFeedbackByMessageIds({
    userId: user.id,
    messageIds: path.filter((p) => p.role === "assistant").map((p) => p.id),
  });
  const models = listUiModels(user.tier);
  return (
    <Chat
      key={id}
      id={id}
      initialMessages={toChatUIMessages(path, feedback)}
      initialModel={pickModel(models, conversation.model, getCatalog().defaultModel)}
      models={models}
      isNew={false}
      systemPrompt={conversation.systemPrompt}
      focusMessageId={typeof m === "string" ? m : null}
    />
  );
}
