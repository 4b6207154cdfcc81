ALTER TABLE "messages" ADD COLUMN "content_tokens" jsonb;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "context" jsonb;