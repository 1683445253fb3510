CREATE TABLE "water_forecasts" (
	"target_kind" text NOT NULL,
	"target_id" uuid NOT NULL,
	"status" text NOT NULL,
	"fitted_at" timestamp with time zone NOT NULL,
	"history_end" timestamp with time zone NOT NULL,
	"model" text,
	"weather" boolean DEFAULT false NOT NULL,
	"mae" double precision,
	"mape" double precision,
	"held_back" integer,
	"history_hours" integer DEFAULT 0 NOT NULL,
	"forecast" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"backtest" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"weather_used" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"weather_sources" jsonb DEFAULT '{"forecast":0,"observed":0,"climatology":0}'::jsonb NOT NULL,
	CONSTRAINT "water_forecasts_target_kind_target_id_pk" PRIMARY KEY("target_kind","target_id"),
	CONSTRAINT "water_forecasts_kind" CHECK ("water_forecasts"."target_kind" in ('entity', 'object')),
	CONSTRAINT "water_forecasts_status" CHECK ("water_forecasts"."status" in ('ok', 'insufficient_history'))
);
--> statement-breakpoint
ALTER TABLE "regions" ADD COLUMN "name_en" text;--> statement-breakpoint
ALTER TABLE "water_entities" ADD COLUMN "name_en" text;