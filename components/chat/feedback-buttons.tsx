"use client";

import { ThumbsDown, ThumbsUp } from "lucide-react";
import { useState } from "react";
import { IconButton } from "@/components/ui/icon-button";
import { requestJson } from "@/lib/query/api-error";

type Rating = "good" | "bad";

/** "Good response" / "Bad response": one vote per user per reply; pressing the active one withdraws it. */
export function FeedbackButtons({ messageId, initial }: { messageId: string; initial: Rating | null }) {
  const [rating, setRating] = useState<Rating | null>(initial);
  const [error, setError] = useState<string | null>(null);

  const vote = (next: Rating) => {
    const value = rating === next ? null : next;
    const previous = rating;
    setRating(value);
    setError(null);
    requestJson<{ rating: Rating | null }>(`/api/messages/${messageId}/feedback`, {
      method: "PUT",
      body: { rating: value },
      failure: "Couldn’t save your feedback",
    }).catch((err: unknown) => {
      setRating(previous);
      setError(err instanceof Error ? err.message : "Couldn’t save your feedback.");
    });
  };

  return (
    <>
      <IconButton label="Good response" size="sm" aria-pressed={rating === "good"} onClick={() => vote("good")}>
        <ThumbsUp className="size-4" aria-hidden fill={rating === "good" ? "currentColor" : "none"} />
      </IconButton>
      <IconButton label="Bad response" size="sm" aria-pressed={rating === "bad"} onClick={() => vote("bad")}>
        <ThumbsDown className="size-4" aria-hidden fill={rating === "bad" ? "currentColor" : "none"} />
      </IconButton>
      <span role="status" className={error ? "text-xs text-danger" : "sr-only"}>
        {error ?? (rating ? "Thanks for your feedback" : "")}
      </span>
    </>
  );
}
