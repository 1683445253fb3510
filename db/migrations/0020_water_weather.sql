CREATE TYPE "public"."water_history_metric" AS ENUM('flow', 'consumption');--> statement-breakpoint
CREATE TYPE "public"."water_import_kind" AS ENUM('history', 'weather');--> statement-breakpoint
CREATE TYPE "public"."water_weather_kind" AS ENUM('observed', 'forecast');--> statement-breakpoint
CREATE TABLE "water_history_hourly" (
	"object_id" uuid NOT NULL,
	"metric" "water_history_metric" NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"volume_m3" double precision NOT NULL,
	"import_id" uuid NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "water_history_hourly_object_id_metric_ts_pk" PRIMARY KEY("object_id","metric","ts"),
	CONSTRAINT "water_history_whole_hour" CHECK (extract(epoch from "water_history_hourly"."ts")::bigint % 3600 = 0),
	CONSTRAINT "water_history_non_negative" CHECK ("water_history_hourly"."volume_m3" >= 0)
);
--> statement-breakpoint
CREATE TABLE "water_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "water_import_kind" NOT NULL,
	"file_name" text,
	"sha256" text NOT NULL,
	"bytes" integer NOT NULL,
	"lines" integer NOT NULL,
	"status" text NOT NULL,
	"inserted" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"unchanged" integer DEFAULT 0 NOT NULL,
	"duplicates" integer DEFAULT 0 NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error_count" integer DEFAULT 0 NOT NULL,
	"imported_by" uuid NOT NULL,
	"imported_at" timestamp with time zone NOT NULL,
	CONSTRAINT "water_imports_status" CHECK ("water_imports"."status" in ('applied', 'refused'))
);
--> statement-breakpoint
CREATE TABLE "water_weather" (
	"region_id" uuid NOT NULL,
	"kind" "water_weather_kind" NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"temperature_c" double precision NOT NULL,
	"precipitation_mm" double precision NOT NULL,
	"source" text NOT NULL,
	"import_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "water_weather_region_id_kind_ts_pk" PRIMARY KEY("region_id","kind","ts"),
	CONSTRAINT "water_weather_whole_hour" CHECK (extract(epoch from "water_weather"."ts")::bigint % 3600 = 0),
	CONSTRAINT "water_weather_ranges" CHECK ("water_weather"."temperature_c" between -80 and 70 and "water_weather"."precipitation_mm" between 0 and 500)
);
--> statement-breakpoint
ALTER TABLE "water_history_hourly" ADD CONSTRAINT "water_history_hourly_object_id_water_objects_id_fk" FOREIGN KEY ("object_id") REFERENCES "public"."water_objects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "water_history_hourly" ADD CONSTRAINT "water_history_hourly_import_id_water_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."water_imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "water_imports" ADD CONSTRAINT "water_imports_imported_by_users_id_fk" FOREIGN KEY ("imported_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "water_weather" ADD CONSTRAINT "water_weather_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "water_weather" ADD CONSTRAINT "water_weather_import_id_water_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."water_imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "water_imports_by_user" ON "water_imports" USING btree ("imported_by","imported_at");