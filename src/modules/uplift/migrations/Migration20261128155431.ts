import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261128155431 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table if not exists "uplift_model_version" ("id" text not null, "kind" text check ("kind" in ('propensity', 'response', 'fraud')) not null, "version" text not null, "status" text check ("status" in ('candidate', 'active', 'rejected', 'retired')) not null default 'candidate', "metrics" jsonb not null, "selection_metric" text not null, "selection_value" real not null, "higher_is_better" boolean not null, "data_from" timestamptz null, "data_to" timestamptz null, "size_bytes" integer not null default 0, "execution_provider" text null, "checksum" text null, "artifact" text not null, "training_run_id" text null, "activated_at" timestamptz null, "note" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "uplift_model_version_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_model_version_deleted_at" ON "uplift_model_version" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_model_version_kind_status" ON "uplift_model_version" ("kind", "status") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "uplift_training_run" ("id" text not null, "model" text check ("model" in ('propensity', 'response', 'fraud')) not null, "status" text check ("status" in ('queued', 'running', 'completed', 'failed')) not null default 'queued', "trigger" text check ("trigger" in ('api', 'schedule')) not null default 'api', "stage" text not null default 'queued', "percent" real not null default 0, "log" jsonb not null, "error" text null, "attempts" integer not null default 0, "model_version_id" text null, "outcome" text null, "started_at" timestamptz null, "finished_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "uplift_training_run_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_training_run_deleted_at" ON "uplift_training_run" ("deleted_at") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "uplift_model_version" cascade;`);

    this.addSql(`drop table if exists "uplift_training_run" cascade;`);
  }

}
