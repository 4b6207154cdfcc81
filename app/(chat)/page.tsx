import { randomUUID } from "node:crypto";
import { Chat } from "@/components/chat/chat";
import { pickModel } from "@/components/chat/pick-model";
import { requireSessionUser } from "@/lib/auth/current-user";
import { getCatalog, listUiModels } from "@/lib/models/catalog";

// A new chat: the id is minted here and the conversation is created by the first POST /api/chat.
export default async function NewChatPage() {
  const user = await requireSessionUser();
  const models = listUiModels(user.tier);
  const id = randomUUID();
  return (
    <Chat
      key={id}
      id={id}
      initialMessages={[]}
      initialModel={pickModel(models, getCatalog().defaultModel)}
      models={models}
      isNew
      systemPrompt={null}
    />
  );
}
