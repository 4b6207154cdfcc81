// Read-only share links. A conversation has at most one token (conversations.share_token, unique
// through a partial index) and one snapshot: share_message_id, the leaf of the active path when it
// was last shared. Sharing again moves the snapshot and keeps the token; revoking clears both, so a
// revoked link never works again (a later share mints a new token).
//
// The token is stored as is, not hashed: the owner's share dialog shows the link again, as ChatGPT's
// does. It is an unguessable capability (192 random bits) that opens a read-only snapshot.
import { randomBytes } from "node:crypto";
import { and, eq, isNotNull, sql } from "drizzle-orm";
import { type Conversation, conversations, type Message } from "../schema";
import { forkPath, pathRowsFrom } from "./branches";
import { type Executor, isUuid, resolve } from "./executor";
import { copyForkFiles, type ForkFile, type ForkFilesPlan, listPathFiles } from "./fork-files";

const TOKEN_BYTES = 24;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32}$/;

export function newShareToken(): string {
  return randomBytes(TOKEN_BYTES).toString("base64url");
}

export interface ShareState {
  token: string | null;
  /** Leaf of the shared snapshot. */
  messageId: string | null;
  /** The conversation's active leaf now: the snapshot is behind when they differ. */
  currentMessageId: string | null;
}

/** The columns a ShareState is read from (select and returning alike). */
const shareState = { token: conversations.shareToken, messageId: conversations.shareMessageId, currentMessageId: conversations.currentMessageId };

export async function getShareByConversationId(
  args: { conversationId: string; userId: string },
  exec?: Executor,
): Promise<ShareState | null> {
  if (!isUuid(args.conversationId)) return null;
  const db = await resolve(exec);
  const [row] = await db
    .select(shareState)
    .from(conversations)
    .where(and(eq(conversations.id, args.conversationId), eq(conversations.userId, args.userId)));
  return row ?? null;
}

/**
 * Shares the conversation's active path as it is now: mints a token on the first share, keeps it on
 * later ones, and moves the snapshot to the current leaf. Null when the conversation is not the
 * user's, or has no messages yet (the caller tells these apart with getConversationById).
 */
export async function shareConversation(
  args: { conversationId: string; userId: string },
  exec?: Executor,
): Promise<ShareState | null> {
  if (!isUuid(args.conversationId)) return null;
  const db = await resolve(exec);
  const [row] = await db
    .update(conversations)
    .set({
      shareToken: sql`coalesce(${conversations.shareToken}, ${newShareToken()})`,
      shareMessageId: sql`${conversations.currentMessageId}`,
    })
    .where(
      and(
        eq(conversations.id, args.conversationId),
        eq(conversations.userId, args.userId),
        isNotNull(conversations.currentMessageId),
      ),
    )
    .returning(shareState);
  return row ?? null;
}

/** Revokes the link (idempotent). False when the conversation is not the user's. */
export async function revokeShare(args: { conversationId: string; userId: string }, exec?: Executor): Promise<boolean> {
  if (!isUuid(args.conversationId)) return false;
  const db = await resolve(exec);
  const rows = await db
    .update(conversations)
    .set({ shareToken: null, shareMessageId: null })
    .where(and(eq(conversations.id, args.conversationId), eq(conversations.userId, args.userId)))
    .returning({ id: conversations.id });
  return rows.length > 0;
}

/** What a share page may show: no owner, no system prompt, no custom instructions, only the snapshot. */
export interface SharedConversation {
  title: string | null;
  model: string;
  messages: Pick<Message, "id" | "role" | "content" | "contentParts" | "toolCalls" | "toolCallId" | "model" | "finishReason" | "createdAt">[];
}

async function findShared(db: Executor, token: string): Promise<Conversation | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const [row] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.shareToken, token), isNotNull(conversations.shareMessageId)));
  return row ?? null;
}

/** The snapshot behind a share token, or null (unknown or revoked token). Not owner-scoped: the token is the capability. */
export async function getSharedConversationByToken(args: { token: string }, exec?: Executor): Promise<SharedConversation | null> {
  const db = await resolve(exec);
  const conversation = await findShared(db, args.token);
  if (!conversation?.shareMessageId) return null;
  const leaf = sql`select ${conversation.shareMessageId}::uuid`;
  const path = await pathRowsFrom(db, conversation.id, leaf);
  return {
    title: conversation.title,
    model: conversation.model,
    messages: path
      // A reply's tool steps (assistant with tool_calls → tool) are part of what was shared; the page folds them.
      .filter((m) => m.role !== "system")
      .map((m) => ({
        id: m.id,
        role: m.role,
        content: m.content,
        contentParts: m.contentParts,
        toolCalls: m.toolCalls,
        toolCallId: m.toolCallId,
        model: m.model,
        finishReason: m.finishReason,
        createdAt: m.createdAt,
      })),
  };
}

/**
 * The files the snapshot's messages reference (the owner's, of that conversation): what a visitor's
 * fork will take along, so their objects can be copied to the visitor's keys first. Null for an
 * unknown or revoked token.
 */
export async function listSharedSnapshotFiles(args: { token: string }, exec?: Executor): Promise<ForkFile[] | null> {
  const db = await resolve(exec);
  const source = await findShared(db, args.token);
  if (!source?.shareMessageId) return null;
  return listPathFiles({ conversationId: source.id, ownerId: source.userId, leafId: source.shareMessageId }, db);
}

/**
 * "Continue this conversation": copies the snapshot into a new conversation of `userId` (the
 * viewer). The owner's system prompt stays behind. The files its messages reference are copied as
 * the visitor's own rows (fork-files.ts; `files` says where their objects are — without it the copy
 * takes none), so the fork never points at the owner's. Null for an unknown or revoked token;
 * ForkFilesChanged when the snapshot now needs objects `files` does not have (moved meanwhile).
 */
export async function forkSharedConversation(args: { token: string; userId: string; files?: ForkFilesPlan }, exec?: Executor): Promise<Conversation | null> {
  const db = await resolve(exec);
  return db.transaction(async (tx) => {
    const source = await findShared(tx, args.token);
    if (!source?.shareMessageId) return null;
    const fork = await forkPath(tx, { source, leafId: source.shareMessageId, userId: args.userId, title: source.title, systemPrompt: null });
    await copyForkFiles(tx, { source, fork, plan: args.files ?? null });
    return fork;
  });
}
