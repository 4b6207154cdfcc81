"use client";

import { lazy, Suspense } from "react";
import type { ChatUIMessage } from "@/lib/chat/types";
import { ownerFileHref, type FileHref } from "./file-links";
import { ToolStep } from "./tool-step";

const Markdown = lazy(() => import("../markdown").then((m) => ({ default: m.Markdown })));

/** A reply with tool steps: its text and its steps in the order they happened. */
export function MessageParts({ message, replyDone, fileHref = ownerFileHref }: { message: ChatUIMessage; replyDone: boolean; fileHref?: FileHref }) {
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

export function hasToolSteps(message: ChatUIMessage): boolean {
  return message.parts.some((p) => p.type === "dynamic-tool");
}
