import Link from "next/link";
import { Sparkles } from "lucide-react";
import { MessageAttachments } from "@/components/chat/attachments/message-attachments";
import { Markdown } from "@/components/chat/markdown";
import { MessageParts } from "@/components/chat/tool-steps/message-parts";
import type { ChatUIMessage } from "@/lib/chat/types";
import type { AttachmentPart } from "@/lib/files/types";
import { LogoMark, PRODUCT_NAME } from "@/components/ui/logo";
import { ContinueSharedButton } from "./continue-button";

export interface SharedMessage {
  id: string;
  role: string;
  content: string;
  /** A reply with tool steps: its text and steps in order (files through the share's file route). */
  parts?: ChatUIMessage["parts"];
  /** Files of the snapshot, served through the share-scoped file route. */
  attachments?: AttachmentPart[];
}

/** The body of /share/[token]: server-rendered, read-only; replies as sanitized markdown. */
export function SharedConversationView({
  token,
  title,
  modelLabel,
  messages,
  signedIn,
}: {
  token: string;
  title: string;
  modelLabel: string;
  messages: SharedMessage[];
  signedIn: boolean;
}) {
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="flex h-14 items-center gap-2 border-b border-border px-4">
        <Link href="/" className="flex items-center gap-2 font-semibold">
          <LogoMark className="size-7" />
          {PRODUCT_NAME}
        </Link>
      </header>
      <main className="mx-auto w-full max-w-3xl flex-1 px-4 pb-32 pt-8 sm:px-6">
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        <p className="mt-1 text-sm text-muted-foreground">A shared conversation · {modelLabel} · read-only</p>
        <div className="mt-8 flex flex-col gap-7">
          {messages.map((m) =>
            m.role === "user" ? (
              <article key={m.id} aria-label="User message" className="flex flex-col items-end">
                <MessageAttachments attachments={m.attachments} shareToken={token} />
                <div className="max-w-[85%] whitespace-pre-wrap break-words rounded-3xl bg-bubble px-4 py-2.5 leading-7 sm:max-w-[75%]">
                  {m.content}
                </div>
              </article>
            ) : (
              <article key={m.id} aria-label="Assistant message" className="flex gap-3 sm:gap-4">
                <div aria-hidden className="mt-0.5 flex size-7 shrink-0 items-center justify-center rounded-full border border-border">
                  <Sparkles className="size-3.5" />
                </div>
                <div className="min-w-0 flex-1 pt-0.5">
                  {m.parts ? (
                    <MessageParts
                      message={{ parts: m.parts }}
                      replyDone
                      filesBase={`/api/share/${encodeURIComponent(token)}/files/`}
                    />
                  ) : (
                    <Markdown text={m.content} />
                  )}
                </div>
              </article>
            ),
          )}
        </div>
      </main>
      <div className="sticky bottom-0 border-t border-border bg-background/95 px-4 py-3 backdrop-blur">
        <div className="mx-auto flex w-full max-w-3xl flex-wrap items-center justify-between gap-3">
          <p className="text-sm text-muted-foreground">
            {signedIn ? "Copy this chat into your account to keep talking." : "Continue in a guest account, no sign-up needed."}
          </p>
          <ContinueSharedButton token={token} signedIn={signedIn} />
        </div>
      </div>
    </div>
  );
}
