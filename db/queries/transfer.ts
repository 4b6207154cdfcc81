// Bulk import and export of a user's conversations (all branches). Import runs in one transaction:
// a bad file imports nothing.
import { randomUUID } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { conversations, type Conversation, type FinishReason, type Message, type MessageRole, messages } from "../schema";
import { type Executor, resolve } from "./executor";

export interface ImportMessage {
  /** The file's id for the message; new ids are issued on insert. */
  key: string;
  parentKey: string | null;
  role: MessageRole;
  content: string;
  model: string | null;
  finishReason: FinishReason | null;
  createdAt: Date;
}

export interface ImportConversation {
  title: string | null;
  model: string;
  systemPrompt: string | null;
  createdAt: Date;
  updatedAt: Date;
  isArchived: boolean;
  currentKey: string | null;
  /** Parents before children (the caller orders them by depth). */
  messages: (ImportMessage & { depth: number })[];
}

const BATCH = 1_000;

export async function importConversationsForUser(
  args: { userId: string; conversations: ImportConversation[] },
  exec?: Executor,
): Promise<string[]> {
  const db = await resolve(exec);
  return db.transaction(async (tx) => {
    const ids: string[] = [];
    for (const c of args.conversations) {
      const conversationId = randomUUID();
      const idOf = new Map(c.messages.map((m) => [m.key, randomUUID()]));
      await tx.insert(conversations).values({
        id: conversationId,
        userId: args.userId,
        title: c.title,
        model: c.model,
        systemPrompt: c.systemPrompt,
        createdAt: c.createdAt,
        updatedAt: c.updatedAt,
        isArchived: c.isArchived,
        currentMessageId: c.currentKey ? (idOf.get(c.currentKey) ?? null) : null,
      });
      // Token counts are left null: prompts estimate such rows by length rather than tokenizing a
      // whole export here.
      const rows = c.messages.map((m) => ({
        id: idOf.get(m.key)!,
        conversationId,
        parentId: m.parentKey ? idOf.get(m.parentKey)! : null,
        role: m.role,
        content: m.content,
        model: m.model,
        finishReason: m.finishReason,
        sequenceNum: m.depth,
        createdAt: m.createdAt,
        updatedAt: m.createdAt,
      }));
      for (let i = 0; i < rows.length; i += BATCH) await tx.insert(messages).values(rows.slice(i, i + BATCH));
      ids.push(conversationId);
    }
    return ids;
  });
}

/** Every conversation of the user (archived too), oldest first, for export. */
export async function listAllConversationsByUserId(args: { userId: string }, exec?: Executor): Promise<Conversation[]> {
  const db = await resolve(exec);
  return db.select().from(conversations).where(eq(conversations.userId, args.userId)).orderBy(asc(conversations.createdAt), asc(conversations.id));
}

/** All messages of one of the user's conversations, parents before children. */
export async function listTreeForExport(args: { conversationId: string; userId: string }, exec?: Executor): Promise<Message[]> {
  const db = await resolve(exec);
  const rows = await db
    .select({ m: messages })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(and(eq(messages.conversationId, args.conversationId), eq(conversations.userId, args.userId)))
    .orderBy(asc(messages.sequenceNum), asc(messages.createdAt));
  return rows.map((r) => r.m);
}
