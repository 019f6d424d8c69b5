CREATE TABLE "queue_branch_policies" (
	"branch_id" uuid PRIMARY KEY NOT NULL,
	"policy" jsonb NOT NULL,
	"version" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "queue_notices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"branch_id" uuid NOT NULL,
	"text_zh" text NOT NULL,
	"text_en" text,
	"level" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	"posted_by" uuid NOT NULL,
	"expired_at" timestamp with time zone,
	"expired_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "queue_notices_level_ck" CHECK ("queue_notices"."level" in ('info','warning'))
);
--> statement-breakpoint
CREATE INDEX "queue_notices_branch_idx" ON "queue_notices" USING btree ("branch_id","starts_at");