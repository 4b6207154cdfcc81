CREATE TABLE "admin_audit_log" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"actor_id" uuid,
	"action" text NOT NULL,
	"target_user_id" uuid,
	"detail" jsonb,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "metric_samples" (
	"name" text NOT NULL,
	"minute" timestamp (3) with time zone NOT NULL,
	"instance" text NOT NULL,
	"value" double precision NOT NULL,
	CONSTRAINT "metric_samples_name_minute_instance_pk" PRIMARY KEY("name","minute","instance")
);
--> statement-breakpoint
CREATE TABLE "usage_rollups" (
	"granularity" text NOT NULL,
	"bucket" timestamp (3) with time zone NOT NULL,
	"model" text NOT NULL,
	"tier" text NOT NULL,
	"pool" text NOT NULL,
	"requests" integer NOT NULL,
	"errors" integer NOT NULL,
	"prompt_tokens" bigint NOT NULL,
	"completion_tokens" bigint NOT NULL,
	"cost_usd" double precision NOT NULL,
	"ttft_count" integer NOT NULL,
	"ttft_sum_ms" bigint NOT NULL,
	"ttft_hist" integer[] NOT NULL,
	"tps_sum" double precision NOT NULL,
	"tps_count" integer NOT NULL,
	CONSTRAINT "usage_rollups_granularity_bucket_model_tier_pool_pk" PRIMARY KEY("granularity","bucket","model","tier","pool"),
	CONSTRAINT "usage_rollups_granularity_check" CHECK ("usage_rollups"."granularity" in ('minute', 'hour'))
);
--> statement-breakpoint
ALTER TABLE "admin_audit_log" ADD CONSTRAINT "admin_audit_log_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "admin_audit_log" ADD CONSTRAINT "admin_audit_log_target_user_id_users_id_fk" FOREIGN KEY ("target_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "admin_audit_log_created_idx" ON "admin_audit_log" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "usage_events_created_brin_idx" ON "usage_events" USING brin ("created_at") WITH (autosummarize=on);