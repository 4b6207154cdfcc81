// Automatic titles: after the first message of a conversation, the utility (cheapest) model names it
// in the background. The provisional title (the message's first words) stays if this fails, and a
// title the user has set meanwhile is never overwritten (compare-and-set on the provisional one).
import { replaceConversationTitle } from "@/db/queries/conversations";
import type { Tier } from "@/lib/models/catalog";
import { utilityModel } from "@/lib/models/catalog";
import { selectTarget } from "./select-replica";
import { completeChat } from "./upstream";

export const TITLE_PROMPT =
  "Title this conversation: reply with a short title of 2 to 6 words for a chat that starts with the user's " +
  "message below. No quotes, no punctuation at the end, nothing else.";

/** What a model may wrap a title in: quotes, markdown, a "Title:" prefix, several lines. */
export function cleanTitle(raw: string): string | null {
  const line = raw.split("\n").map((l) => l.trim()).find(Boolean) ?? "";
  const title = line
    .replace(/^(title\s*:\s*)/i, "")
    .replace(/[*_`#>"“”]+/g, "")
    .replace(/[.!?:;,\s]+$/, "")
    .trim();
  if (!title) return null;
  return title.length > 60 ? `${title.slice(0, 57).trimEnd()}…` : title;
}

export async function titleInBackground(args: {
  userId: string;
  tier: Tier;
  conversationId: string;
  firstMessage: string;
  provisionalTitle: string;
}): Promise<void> {
  try {
    const model = utilityModel();
    const target = await selectTarget(model, args.tier);
    const raw = await completeChat({
      baseUrl: target.replica,
      timeoutMs: 30_000,
      body: {
        model: target.upstreamModel,
        messages: [
          { role: "system", content: TITLE_PROMPT },
          { role: "user", content: args.firstMessage.slice(0, 2_000) },
        ],
        max_tokens: 20,
        temperature: 0.3,
      },
    });
    const title = cleanTitle(raw);
    if (title) await replaceConversationTitle({ id: args.conversationId, userId: args.userId, title, expected: args.provisionalTitle });
  } catch (err) {
    console.warn("[title] failed", args.conversationId, err);
  }
}
