"use client";

import { Share } from "lucide-react";
import { useState } from "react";
import { IconButton } from "@/components/ui/icon-button";
import { ShareDialog } from "./share-dialog";

/** The chat header's "Share" button and its dialog. */
export function ShareButton({ conversationId }: { conversationId: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <IconButton label="Share" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        <Share className="size-[18px]" aria-hidden />
      </IconButton>
      {open ? <ShareDialog conversationId={conversationId} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
