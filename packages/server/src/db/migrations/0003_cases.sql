CREATE TABLE "business_calendars" (
	"name" text PRIMARY KEY NOT NULL,
	"calendar" jsonb NOT NULL,
	"source" text NOT NULL,
	"warnings" jsonb NOT NULL,
	"imported_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_compensation_approvals" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"org_unit_id" uuid NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"reason" text NOT NULL,
	"status" text NOT NULL,
	"requested_by" uuid NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "case_follow_ups" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"org_unit_id" uuid NOT NULL,
	"assignee_id" uuid,
	"due_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"completed_at" timestamp with time zone,
	"completed_by" uuid,
	"note" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "case_follow_ups_status_ck" CHECK ("case_follow_ups"."status" in ('scheduled','done','cancelled'))
);
--> statement-breakpoint
CREATE TABLE "case_number_counters" (
	"case_type" text NOT NULL,
	"year" integer NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "case_number_counters_pkey" PRIMARY KEY("case_type","year")
);
--> statement-breakpoint
CREATE TABLE "case_rating_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "case_sla_clocks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"clock_key" text NOT NULL,
	"role" text NOT NULL,
	"definition" jsonb NOT NULL,
	"calendar_id" text NOT NULL,
	"policy" jsonb NOT NULL,
	"measure" text NOT NULL,
	"generation" integer DEFAULT 0 NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"warn_at" timestamp with time zone,
	"pauses" jsonb NOT NULL,
	"state" text NOT NULL,
	"stopped_at" timestamp with time zone,
	"next_fire_at" timestamp with time zone,
	"breached_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "case_sla_clocks_state_ck" CHECK ("case_sla_clocks"."state" in ('running','paused','stopped'))
);
--> statement-breakpoint
CREATE TABLE "case_sla_notifications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"clock_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"recipients" text[] NOT NULL,
	"scheduled_at" timestamp with time zone NOT NULL,
	"fired_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_timeline" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_id" uuid,
	"type" text NOT NULL,
	"from_state" text,
	"to_state" text,
	"data" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"type" text NOT NULL,
	"channel" text NOT NULL,
	"customer_id" uuid,
	"contact" jsonb,
	"org_unit_id" uuid NOT NULL,
	"assignee_id" uuid,
	"created_by" uuid NOT NULL,
	"state" text NOT NULL,
	"severity" text NOT NULL,
	"service_level" text NOT NULL,
	"subject" text NOT NULL,
	"record" jsonb NOT NULL,
	"jrt_channel" text,
	"jrt_business_type" text,
	"jrt_cause" text,
	"root_cause_category" text,
	"root_cause_text" text,
	"compensation_minor" bigint DEFAULT 0 NOT NULL,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"sla_policy_id" text NOT NULL,
	"calendar_id" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"merged_into_id" uuid,
	"rating" smallint,
	"rating_comment" text,
	"rated_at" timestamp with time zone,
	"version" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "cases_type_ck" CHECK ("cases"."type" in ('complaint','ebanking_support','internal_request')),
	CONSTRAINT "cases_rating_ck" CHECK ("cases"."rating" is null or "cases"."rating" between 1 and 5)
);
--> statement-breakpoint
CREATE INDEX "case_compensation_approvals_case_idx" ON "case_compensation_approvals" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "case_compensation_approvals_org_status_idx" ON "case_compensation_approvals" USING btree ("org_unit_id","status");--> statement-breakpoint
CREATE INDEX "case_follow_ups_org_due_idx" ON "case_follow_ups" USING btree ("org_unit_id","due_at");--> statement-breakpoint
CREATE INDEX "case_rating_tokens_case_idx" ON "case_rating_tokens" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "case_sla_clocks_key_uq" ON "case_sla_clocks" USING btree ("clock_key");--> statement-breakpoint
CREATE INDEX "case_sla_clocks_case_idx" ON "case_sla_clocks" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "case_sla_clocks_next_idx" ON "case_sla_clocks" USING btree ("next_fire_at") WHERE "case_sla_clocks"."next_fire_at" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "case_sla_notifications_key_uq" ON "case_sla_notifications" USING btree ("key");--> statement-breakpoint
CREATE INDEX "case_sla_notifications_case_idx" ON "case_sla_notifications" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "case_timeline_case_idx" ON "case_timeline" USING btree ("case_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_number_uq" ON "cases" USING btree ("number");--> statement-breakpoint
CREATE INDEX "cases_org_received_idx" ON "cases" USING btree ("org_unit_id","received_at");--> statement-breakpoint
CREATE INDEX "cases_state_idx" ON "cases" USING btree ("state");--> statement-breakpoint
CREATE INDEX "cases_assignee_idx" ON "cases" USING btree ("assignee_id");--> statement-breakpoint
CREATE INDEX "cases_customer_idx" ON "cases" USING btree ("customer_id");