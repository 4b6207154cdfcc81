ALTER TABLE "moderation_events" ADD COLUMN "conversation_id" uuid;--> statement-breakpoint
ALTER TABLE "moderation_events" ADD COLUMN "model" text;--> statement-breakpoint
ALTER TABLE "moderation_events" ADD COLUMN "content" text;--> statement-breakpoint
ALTER TABLE "moderation_events" ADD COLUMN "detail" jsonb;--> statement-breakpoint
ALTER TABLE "moderation_events" ADD COLUMN "review_status" text DEFAULT 'pending' NOT NULL;--> statement-breakpoint
ALTER TABLE "moderation_events" ADD COLUMN "reviewed_by" uuid;--> statement-breakpoint
ALTER TABLE "moderation_events" ADD COLUMN "reviewed_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "moderation_events" ADD CONSTRAINT "moderation_events_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moderation_events" ADD CONSTRAINT "moderation_events_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "moderation_events_conversation_id_idx" ON "moderation_events" USING btree ("conversation_id");--> statement-breakpoint
CREATE INDEX "moderation_events_review_idx" ON "moderation_events" USING btree ("review_status","created_at");--> statement-breakpoint
ALTER TABLE "moderation_events" ADD CONSTRAINT "moderation_events_review_status_check" CHECK ("moderation_events"."review_status" in ('pending', 'confirmed', 'dismissed'));