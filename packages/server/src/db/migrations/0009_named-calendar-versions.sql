CREATE TABLE "business_calendar_versions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"version" integer NOT NULL,
	"calendar" jsonb NOT NULL,
	"source" text NOT NULL,
	"changes" jsonb NOT NULL,
	"warnings" jsonb NOT NULL,
	"note" text,
	"created_by_name" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "business_calendars" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "business_calendar_versions_name_version_uq" ON "business_calendar_versions" USING btree ("name","version");--> statement-breakpoint
-- Calendars imported before versions existed become their version 1 (their history starts here).
INSERT INTO "business_calendar_versions" ("id", "name", "version", "calendar", "source", "changes", "warnings", "note", "created_by_name", "created_at")
SELECT gen_random_uuid(), "name", 1, "calendar", "source", '{}'::jsonb, "warnings", NULL, NULL, "updated_at" FROM "business_calendars";
