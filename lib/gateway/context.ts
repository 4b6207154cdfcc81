// Step 5: the messages sent upstream. Simple version: the model's system prompt, the conversation's
// system prompt, then the active path. Budgeting and summaries come with the context work.
import type { Message } from "@/db/schema";
import type { CatalogModel } from "@/lib/models/catalog";

export interface UpstreamMessage {
  role: "system" | "user" | "assistant" | "tool";
  content: string;
}

export function defaultSystemPrompt(model: CatalogModel, now: Date): string {
  const date = now.toISOString().slice(0, 10);
  return model.systemPrompt ?? `You are a helpful assistant. Answer in Markdown. Current date: ${date}.`;
}

export function assembleContext(opts: {
  model: CatalogModel;
  conversationSystemPrompt: string | null;
  path: Pick<Message, "role" | "content" | "finishReason">[];
  now: Date;
}): UpstreamMessage[] {
  const system = [defaultSystemPrompt(opts.model, opts.now), opts.conversationSystemPrompt].filter(Boolean).join("\n\n");
  const out: UpstreamMessage[] = [{ role: "system", content: system }];
  for (const m of opts.path) {
    if (m.role === "system") continue;
    // An assistant turn that failed before saying anything carries no content worth sending.
    if (m.role === "assistant" && !m.content) continue;
    out.push({ role: m.role as UpstreamMessage["role"], content: m.content });
  }
  return out;
}
