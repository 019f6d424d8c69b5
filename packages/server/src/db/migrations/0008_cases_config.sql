CREATE TABLE "case_config_snapshots" (
	"id" text PRIMARY KEY NOT NULL,
	"config" jsonb NOT NULL,
	"sources" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_config_versions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_unit_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"override" jsonb NOT NULL,
	"note" text,
	"created_by" uuid,
	"created_by_name" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_unit_calendar_versions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_unit_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"calendar" jsonb,
	"source" text NOT NULL,
	"changes" jsonb NOT NULL,
	"warnings" jsonb NOT NULL,
	"note" text,
	"created_by" uuid,
	"created_by_name" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "config_snapshot_id" text;--> statement-breakpoint
CREATE UNIQUE INDEX "case_config_versions_unit_version_uq" ON "case_config_versions" USING btree ("org_unit_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "case_unit_calendar_versions_unit_version_uq" ON "case_unit_calendar_versions" USING btree ("org_unit_id","version");