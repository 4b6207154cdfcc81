"use client";

import { clsx } from "clsx";
import { useId, type TextareaHTMLAttributes } from "react";

const format = new Intl.NumberFormat("en-US");

/** Share of the limit from which the counter warns. */
const WARN_AT = 0.9;

export const textareaClass =
  "block w-full resize-y rounded-lg border border-border bg-background px-3 py-2 text-[15px] leading-6 outline-none placeholder:text-muted-foreground focus:border-ring focus:ring-2 focus:ring-ring/30 dark:bg-muted/40";

/**
 * A labelled textarea with a live "n / max" counter below it. The browser stops input at `maxLength`;
 * the counter turns amber near the limit and red at it.
 */
export function CountedTextarea({
  label,
  hint,
  value,
  onValueChange,
  maxLength,
  className,
  ...props
}: Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "value" | "onChange" | "maxLength"> & {
  label: string;
  hint?: string;
  value: string;
  onValueChange: (value: string) => void;
  maxLength: number;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const counterId = `${id}-count`;
  const length = value.length;
  const level = length >= maxLength ? "full" : length >= maxLength * WARN_AT ? "near" : "ok";

  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {hint ? (
        <p id={hintId} className="text-xs text-muted-foreground">
          {hint}
        </p>
      ) : null}
      <textarea
        id={id}
        value={value}
        maxLength={maxLength}
        onChange={(e) => onValueChange(e.target.value)}
        aria-describedby={hint ? `${hintId} ${counterId}` : counterId}
        className={clsx(textareaClass, className)}
        {...props}
      />
      <p
        id={counterId}
        className={clsx(
          "text-right text-xs tabular-nums",
          level === "ok" && "text-muted-foreground",
          level === "near" && "text-amber-700 dark:text-amber-400",
          level === "full" && "font-medium text-danger",
        )}
      >
        {format.format(length)} / {format.format(maxLength)}
      </p>
    </div>
  );
}
