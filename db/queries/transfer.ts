// Bulk import and export of a user's conversations (all branches). A file is validated whole before
// anything is written (a bad file imports nothing); its conversations are then inserted in batches,
// each batch one short transaction, so a large import never holds the database for seconds.
import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import {
  conversations,
  type Conversation,
  type FinishReason,
  type ImportJob,
  importJobs,
  type Message,
  type MessageRole,
  messages,
} from "../schema";
import { type Executor, isUuid, resolve } from "./executor";

export interface ImportMessage {
  /** The file's id for the message; new ids are issued on insert. */
  key: string;
  parentKey: string | null;
  role: MessageRole;
  content: string;
  model: string | null;
  finishReason: FinishReason | null;
  /** A reply's tool steps (our own export): the calls, the answered call, what the chat showed. */
  toolCalls?: unknown[] | null;
  toolCallId?: string | null;
  contentParts?: unknown[] | null;
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

/** Inserts the conversations in one transaction: a few statements per batch, not one per conversation. */
export async function importConversationsForUser(
  args: { userId: string; conversations: ImportConversation[] },
  exec?: Executor,
): Promise<string[]> {
  const db = await resolve(exec);
  return db.transaction(async (tx) => {
    const ids: string[] = [];
    const convRows: (typeof conversations.$inferInsert)[] = [];
    const messageRows: (typeof messages.$inferInsert)[] = [];
    for (const c of args.conversations) {
      const conversationId = randomUUID();
      const idOf = new Map(c.messages.map((m) => [m.key, randomUUID()]));
      convRows.push({
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
      for (const m of c.messages) {
        messageRows.push({
          id: idOf.get(m.key)!,
          conversationId,
          parentId: m.parentKey ? idOf.get(m.parentKey)! : null,
          role: m.role,
          content: m.content,
          model: m.model,
          finishReason: m.finishReason,
          toolCalls: m.toolCalls ?? null,
          toolCallId: m.toolCallId ?? null,
          contentParts: m.contentParts ?? null,
          sequenceNum: m.depth,
          createdAt: m.createdAt,
          updatedAt: m.createdAt,
        });
      }
      ids.push(conversationId);
    }
    for (let i = 0; i < convRows.length; i += BATCH) await tx.insert(conversations).values(convRows.slice(i, i + BATCH));
    // Parents first: each conversation's messages are ordered by depth, and a message's parent is
    // in the same conversation, so the order within messageRows already satisfies the foreign key.
    for (let i = 0; i < messageRows.length; i += BATCH) await tx.insert(messages).values(messageRows.slice(i, i + BATCH));
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

// ---- import jobs: progress any instance can report ----

/** A job still "running" with no progress for this long lost its instance: it reads as failed. */
const STALE_JOB_MS = 5 * 60_000;

export async function createImportJob(args: { userId: string; source: string; total: number }, exec?: Executor): Promise<ImportJob> {
  const db = await resolve(exec);
  const [row] = await db.insert(importJobs).values({ userId: args.userId, source: args.source, total: args.total }).returning();
  return row;
}

export async function updateImportJob(
  args: { id: string; imported: number; status?: ImportJob["status"]; error?: string | null },
  exec?: Executor,
): Promise<void> {
  const db = await resolve(exec);
  await db
    .update(importJobs)
    .set({ imported: args.imported, status: args.status, error: args.error, updatedAt: sql`now()` })
    .where(eq(importJobs.id, args.id));
}

function withStaleness(job: ImportJob): ImportJob {
  if (job.status === "running" && Date.now() - job.updatedAt.getTime() > STALE_JOB_MS) {
    return { ...job, status: "failed", error: "The import was interrupted (the server restarted). Import the file again to add the rest." };
  }
  return job;
}

export async function getImportJobById(args: { id: string; userId: string }, exec?: Executor): Promise<ImportJob | null> {
  if (!isUuid(args.id)) return null;
  const db = await resolve(exec);
  const [row] = await db.select().from(importJobs).where(and(eq(importJobs.id, args.id), eq(importJobs.userId, args.userId)));
  return row ? withStaleness(row) : null;
}

/** The user's newest import job (for Settings), or null. */
export async function getLatestImportJobByUserId(args: { userId: string }, exec?: Executor): Promise<ImportJob | null> {
  if (!isUuid(args.userId)) return null;
  const db = await resolve(exec);
  const [row] = await db.select().from(importJobs).where(eq(importJobs.userId, args.userId)).orderBy(desc(importJobs.createdAt)).limit(1);
  return row ? withStaleness(row) : null;
}
