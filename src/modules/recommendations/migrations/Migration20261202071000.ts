import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/** Recommenders are versions in the uplift model registry (kind "recommender") now; their own table goes. */
export class Migration20261202071000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop table if exists "uplift_recs_model" cascade;`)
  }

  override async down(): Promise<void> {
    this.addSql(`create table if not exists "uplift_recs_model" ("id" text not null, "status" text check ("status" in ('training', 'ready', 'failed')) not null default 'training', "interactions" integer not null default 0, "customers" integer not null default 0, "products" integer not null default 0, "data_to" timestamptz null, "train_ms" integer not null default 0, "error" text null, "artifact" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "uplift_recs_model_pkey" primary key ("id"));`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_recs_model_deleted_at" ON "uplift_recs_model" ("deleted_at") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_recs_model_status_created_at" ON "uplift_recs_model" ("status", "created_at") WHERE deleted_at IS NULL;`)
  }
}
