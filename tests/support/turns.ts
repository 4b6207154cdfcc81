// The browser door's pipeline call and encoding, for tests that drive the gateway without HTTP:
// exactly what app/api/chat/route.ts does (runTurn → the run's events → the UI message stream).
import type { SessionUser } from "@/lib/auth/session-user";
import { uiMessageEncoder } from "@/lib/gateway/encode-ui";
import { runTurn } from "@/lib/gateway/pipeline";
import { runSource } from "@/lib/gateway/relay";
import type { ReplyRun } from "@/lib/gateway/reply-run";
import { replySseStream } from "@/lib/gateway/sse";

export interface ChatTurn {
  conversationId: string;
  model: string;
  message?: { id: string; text: string; attachments?: { id: string; pageLimit?: number | null }[] };
  parentId?: string | null;
  regenerateFrom?: string;
}

export async function startReply(user: SessionUser, input: ChatTurn): Promise<{ run: ReplyRun; userMessageId: string; saved: Promise<void> }> {
  const { run, saved } = await runTurn(user, { kind: "conversation", create: true, ...input });
  return { run, userMessageId: run.userMessageId, saved };
}

/** The reply as POST /api/chat streams it (the start event carries its parent; extra arguments are ignored). */
export function uiMessageStream(run: ReplyRun, ...unused: unknown[]): ReadableStream<Uint8Array> {
  void unused;
  return replySseStream(runSource(run), uiMessageEncoder());
}
