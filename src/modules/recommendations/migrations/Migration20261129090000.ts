import { Migration } from "@medusajs/framework/mikro-orm/migrations"

export class Migration20261129090000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table if not exists "uplift_recs_model" ("id" text not null, "status" text check ("status" in ('training', 'ready', 'failed')) not null default 'training', "interactions" integer not null default 0, "customers" integer not null default 0, "products" integer not null default 0, "data_to" timestamptz null, "train_ms" integer not null default 0, "error" text null, "artifact" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "uplift_recs_model_pkey" primary key ("id"));`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_recs_model_deleted_at" ON "uplift_recs_model" ("deleted_at") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_recs_model_status_created_at" ON "uplift_recs_model" ("status", "created_at") WHERE deleted_at IS NULL;`)
    this.addSql(`create table if not exists "uplift_item_offer_target" ("id" text not null, "offer_id" text not null, "customer_id" text not null, "discount_percent" real not null, "product_ids" jsonb not null, "expected" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "uplift_item_offer_target_pkey" primary key ("id"));`)
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_uplift_item_offer_target_offer_id_unique" ON "uplift_item_offer_target" ("offer_id");`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_item_offer_target_customer_id" ON "uplift_item_offer_target" ("customer_id") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_item_offer_target_deleted_at" ON "uplift_item_offer_target" ("deleted_at") WHERE deleted_at IS NULL;`)
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "uplift_item_offer_target" cascade;`)
    this.addSql(`drop table if exists "uplift_recs_model" cascade;`)
  }
}
