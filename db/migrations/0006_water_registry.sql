CREATE TYPE "public"."water_device_kind" AS ENUM('flow_meter', 'pressure_sensor', 'level_sensor', 'pump_power', 'voltage', 'quality_sensor');--> statement-breakpoint
CREATE TYPE "public"."water_device_status" AS ENUM('active', 'suspended', 'retired');--> statement-breakpoint
CREATE TYPE "public"."water_region_level" AS ENUM('national', 'region', 'district', 'city');--> statement-breakpoint
CREATE TYPE "public"."water_criticality" AS ENUM('critical', 'high', 'normal', 'low');--> statement-breakpoint
CREATE TYPE "public"."water_entity_kind" AS ENUM('utility', 'owners_association', 'building_manager', 'service_company', 'other');--> statement-breakpoint
CREATE TYPE "public"."water_object_kind" AS ENUM('intake', 'treatment_plant', 'pumping_station', 'reservoir', 'dma', 'network', 'sewage_works');--> statement-breakpoint
CREATE TABLE "devices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"object_id" uuid NOT NULL,
	"kind" "water_device_kind" NOT NULL,
	"serial_number" text NOT NULL,
	"model" text NOT NULL,
	"manufacturer" text,
	"rated" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"last_verified_on" date,
	"verification_interval_months" integer,
	"next_due_on" date GENERATED ALWAYS AS ((last_verified_on + make_interval(months => verification_interval_months))::date) STORED,
	"token_hash" text,
	"status" "water_device_status" DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "devices_serialNumber_unique" UNIQUE("serial_number"),
	CONSTRAINT "devices_tokenHash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "gateways" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"entity_id" uuid NOT NULL,
	"name" text NOT NULL,
	"key_hash" text NOT NULL,
	"status" "water_device_status" DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "gateways_keyHash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "readings" (
	"device_id" uuid NOT NULL,
	"metric" text NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"value" double precision NOT NULL,
	"unit" text NOT NULL,
	"flags" smallint DEFAULT 0 NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "readings_device_id_metric_ts_pk" PRIMARY KEY("device_id","metric","ts")
);
--> statement-breakpoint
CREATE TABLE "readings_daily" (
	"device_id" uuid NOT NULL,
	"metric" text NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"count" integer NOT NULL,
	"sum" double precision NOT NULL,
	"min" double precision NOT NULL,
	"max" double precision NOT NULL,
	"last" double precision NOT NULL,
	"last_ts" timestamp with time zone NOT NULL,
	"flagged" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "readings_daily_device_id_metric_bucket_pk" PRIMARY KEY("device_id","metric","bucket")
);
--> statement-breakpoint
CREATE TABLE "readings_hourly" (
	"device_id" uuid NOT NULL,
	"metric" text NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"count" integer NOT NULL,
	"sum" double precision NOT NULL,
	"min" double precision NOT NULL,
	"max" double precision NOT NULL,
	"last" double precision NOT NULL,
	"last_ts" timestamp with time zone NOT NULL,
	"flagged" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "readings_hourly_device_id_metric_bucket_pk" PRIMARY KEY("device_id","metric","bucket")
);
--> statement-breakpoint
CREATE TABLE "regions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"parent_id" uuid,
	"level" "water_region_level" NOT NULL,
	"name_kk" text NOT NULL,
	"name_ru" text NOT NULL,
	"code" text NOT NULL,
	CONSTRAINT "regions_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "water_entities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bin" text NOT NULL,
	"name" text NOT NULL,
	"kind" "water_entity_kind" NOT NULL,
	"region_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "water_entities_bin_unique" UNIQUE("bin")
);
--> statement-breakpoint
CREATE TABLE "water_objects" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"entity_id" uuid NOT NULL,
	"region_id" uuid NOT NULL,
	"parent_id" uuid,
	"kind" "water_object_kind" NOT NULL,
	"name" text NOT NULL,
	"criticality" "water_criticality" DEFAULT 'normal' NOT NULL,
	"reporting_interval_sec" integer,
	"connections" integer,
	"mains_length_km" double precision,
	"service_pipe_length_km" double precision,
	"avg_pressure_bar" double precision,
	"lat" double precision,
	"lon" double precision,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_object_id_water_objects_id_fk" FOREIGN KEY ("object_id") REFERENCES "public"."water_objects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gateways" ADD CONSTRAINT "gateways_entity_id_water_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."water_entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "regions" ADD CONSTRAINT "regions_parent_id_regions_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "water_entities" ADD CONSTRAINT "water_entities_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "water_objects" ADD CONSTRAINT "water_objects_entity_id_water_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."water_entities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "water_objects" ADD CONSTRAINT "water_objects_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "water_objects" ADD CONSTRAINT "water_objects_parent_id_water_objects_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."water_objects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "devices_object_idx" ON "devices" USING btree ("object_id");--> statement-breakpoint
CREATE INDEX "devices_next_due_idx" ON "devices" USING btree ("next_due_on");--> statement-breakpoint
CREATE INDEX "regions_parent_idx" ON "regions" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "water_entities_region_idx" ON "water_entities" USING btree ("region_id");--> statement-breakpoint
CREATE INDEX "water_objects_entity_idx" ON "water_objects" USING btree ("entity_id");--> statement-breakpoint
CREATE INDEX "water_objects_region_idx" ON "water_objects" USING btree ("region_id");