-- Full-text search over message text. A generated column kept out of db/schema.ts on purpose, so that
-- ordinary selects of messages never carry the vector; db/queries/search.ts reads it.
ALTER TABLE "messages" ADD COLUMN "search" tsvector GENERATED ALWAYS AS (to_tsvector('english', "content")) STORED;--> statement-breakpoint
CREATE INDEX "messages_search_idx" ON "messages" USING gin ("search");
