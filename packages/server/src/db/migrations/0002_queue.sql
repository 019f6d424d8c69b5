CREATE TABLE "queue_counters" (
	"id" uuid PRIMARY KEY NOT NULL,
	"branch_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"name" text NOT NULL,
	"skills" text[] NOT NULL,
	"state" text NOT NULL,
	"pause_reason" text,
	"staff_id" uuid,
	"current_ticket_id" uuid,
	"state_changed_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "queue_counters_state_ck" CHECK ("queue_counters"."state" in ('closed','open','paused'))
);
--> statement-breakpoint
CREATE TABLE "queue_sequences" (
	"branch_id" uuid NOT NULL,
	"service_code" text NOT NULL,
	"business_day" date NOT NULL,
	"last_sequence" integer NOT NULL,
	CONSTRAINT "queue_sequences_pkey" PRIMARY KEY("branch_id","service_code","business_day")
);
--> statement-breakpoint
CREATE TABLE "queue_services" (
	"id" uuid PRIMARY KEY NOT NULL,
	"branch_id" uuid NOT NULL,
	"code" text NOT NULL,
	"prefix" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"target_wait_seconds" integer NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "queue_tickets" (
	"id" uuid PRIMARY KEY NOT NULL,
	"branch_id" uuid NOT NULL,
	"service_code" text NOT NULL,
	"original_service_code" text NOT NULL,
	"business_day" date NOT NULL,
	"sequence" integer NOT NULL,
	"number" text NOT NULL,
	"priority_class" text NOT NULL,
	"customer_id" uuid,
	"assistance" text,
	"locale" text DEFAULT 'zh-CN' NOT NULL,
	"status" text NOT NULL,
	"walk_up" boolean DEFAULT false NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"arrived_at" timestamp with time zone NOT NULL,
	"called_at" timestamp with time zone,
	"first_called_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"left_at" timestamp with time zone,
	"counter_id" uuid,
	"target_counter_id" uuid,
	"staff_id" uuid,
	"outcome" text,
	"outcome_note" text,
	"recall_count" integer DEFAULT 0 NOT NULL,
	"transfer_count" integer DEFAULT 0 NOT NULL,
	"idempotency_key" text,
	"triage_note" text,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "queue_tickets_status_ck" CHECK ("queue_tickets"."status" in ('waiting','called','serving','served','no_show','abandoned'))
);
--> statement-breakpoint
CREATE TABLE "queue_visit_history" (
	"id" uuid PRIMARY KEY NOT NULL,
	"branch_id" uuid NOT NULL,
	"import_job_id" uuid NOT NULL,
	"visit_id" text NOT NULL,
	"site" text NOT NULL,
	"service_code" text NOT NULL,
	"priority" integer NOT NULL,
	"arrived_at" text NOT NULL,
	"called_at" text,
	"service_started_at" text,
	"service_ended_at" text,
	"outcome" text NOT NULL,
	"counter" text
);
--> statement-breakpoint
CREATE UNIQUE INDEX "queue_counters_branch_number_uq" ON "queue_counters" USING btree ("branch_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "queue_services_branch_code_uq" ON "queue_services" USING btree ("branch_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "queue_services_branch_prefix_uq" ON "queue_services" USING btree ("branch_id","prefix");--> statement-breakpoint
CREATE UNIQUE INDEX "queue_tickets_sequence_uq" ON "queue_tickets" USING btree ("branch_id","original_service_code","business_day","sequence");--> statement-breakpoint
CREATE UNIQUE INDEX "queue_tickets_idempotency_uq" ON "queue_tickets" USING btree ("branch_id","idempotency_key") WHERE "queue_tickets"."idempotency_key" is not null;--> statement-breakpoint
CREATE INDEX "queue_tickets_waiting_idx" ON "queue_tickets" USING btree ("branch_id","arrived_at") WHERE "queue_tickets"."status" = 'waiting';--> statement-breakpoint
CREATE INDEX "queue_tickets_day_idx" ON "queue_tickets" USING btree ("branch_id","business_day");--> statement-breakpoint
CREATE UNIQUE INDEX "queue_visit_history_visit_uq" ON "queue_visit_history" USING btree ("branch_id","visit_id");--> statement-breakpoint
CREATE INDEX "queue_visit_history_arrived_idx" ON "queue_visit_history" USING btree ("branch_id","arrived_at");