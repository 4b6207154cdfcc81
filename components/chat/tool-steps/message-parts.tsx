"use client";

import { lazy, Suspense } from "react";
import type { ChatUIMessage } from "@/lib/chat/types";
import { OWNER_FILES_BASE } from "./file-links";
import { ToolStep } from "./tool-step";

const Markdown = lazy(() => import("../markdown").then((m) => ({ default: m.Markdown })));

/**
 * A reply with tool steps: its text and its steps in the order they happened. `filesBase`: where its
 * files are served for this viewer (the owner's route; a share page passes its share-scoped route).
 */
export function MessageParts({ message, replyDone, filesBase = OWNER_FILES_BASE }: { message: Pick<ChatUIMessage, "parts">; replyDone: boolean; filesBase?: string }) {
  const fileHref = (id: string) => `${filesBase}${encodeURIComponent(id)}`;
  return (
    <>
      {message.parts.map((part, i) => {
        if (part.type === "text") {
          return part.text ? (
            <Suspense key={i} fallback={<div className="whitespace-pre-wrap leading-7">{part.text}</div>}>
              <Markdown text={part.text} />
            </Suspense>
          ) : null;
        }
        if (part.type === "dynamic-tool") {
          return <ToolStep key={part.toolCallId || i} part={part} replyDone={replyDone} fileHref={fileHref} />;
        }
        return null;
      })}
    </>
  );
}

export function hasToolSteps(message: Pick<ChatUIMessage, "parts">): boolean {
  return message.parts.some((p) => p.type === "dynamic-tool");
}
