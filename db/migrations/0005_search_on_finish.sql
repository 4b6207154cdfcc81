-- messages.search is computed once a message's text is final, not on every streaming checkpoint: a
-- generated column re-tokenized the whole reply at each checkpoint (once a second per open stream).
-- Rows are indexed when inserted with their final text (user messages, imports) and when a reply
-- gets its finish_reason; a checkpoint (UPDATE of content only) does not fire the trigger.
ALTER TABLE "messages" DROP COLUMN "search";--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "search" tsvector;--> statement-breakpoint
UPDATE "messages" SET "search" = to_tsvector('english', "content") WHERE "finish_reason" IS NOT NULL OR "role" <> 'assistant';--> statement-breakpoint
CREATE INDEX "messages_search_idx" ON "messages" USING gin ("search");--> statement-breakpoint
CREATE FUNCTION messages_set_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.finish_reason IS NOT NULL OR NEW.role <> 'assistant' THEN
    NEW.search := to_tsvector('english', NEW.content);
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER messages_search_insert BEFORE INSERT ON "messages" FOR EACH ROW EXECUTE FUNCTION messages_set_search();--> statement-breakpoint
CREATE TRIGGER messages_search_finish BEFORE UPDATE OF "finish_reason", "content" ON "messages" FOR EACH ROW
  WHEN (NEW.finish_reason IS NOT NULL) EXECUTE FUNCTION messages_set_search();
