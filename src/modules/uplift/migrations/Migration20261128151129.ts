import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261128151129 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "uplift_interaction" drop constraint if exists "uplift_interaction_dedupe_key_unique";`);
    this.addSql(`alter table if exists "uplift_customer_profile" drop constraint if exists "uplift_customer_profile_customer_id_unique";`);
    this.addSql(`create table if not exists "uplift_customer_profile" ("id" text not null, "customer_id" text not null, "email_hash" text null, "has_account" boolean not null default false, "signed_up_at" timestamptz null, "attributes" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "uplift_customer_profile_pkey" primary key ("id"));`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_uplift_customer_profile_customer_id_unique" ON "uplift_customer_profile" ("customer_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_customer_profile_deleted_at" ON "uplift_customer_profile" ("deleted_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "uplift_interaction" ("id" text not null, "dedupe_key" text not null, "kind" text check ("kind" in ('cart_item', 'purchase', 'cancel', 'return', 'payment_captured', 'payment_refunded')) not null, "source" text check ("source" in ('event', 'seed')) not null default 'event', "customer_id" text null, "cart_id" text null, "order_id" text null, "product_id" text null, "variant_id" text null, "quantity" integer not null default 0, "value" double precision not null default 0, "currency_code" text null, "occurred_at" timestamptz not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "uplift_interaction_pkey" primary key ("id"));`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_uplift_interaction_dedupe_key_unique" ON "uplift_interaction" ("dedupe_key") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_interaction_deleted_at" ON "uplift_interaction" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_interaction_customer_id_occurred_at" ON "uplift_interaction" ("customer_id", "occurred_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_interaction_product_id" ON "uplift_interaction" ("product_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_interaction_order_id" ON "uplift_interaction" ("order_id") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "uplift_customer_profile" cascade;`);

    this.addSql(`drop table if exists "uplift_interaction" cascade;`);
  }

}
