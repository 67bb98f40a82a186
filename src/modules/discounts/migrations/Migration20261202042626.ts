import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261202042626 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "uplift_shopper_cart" drop constraint if exists "uplift_shopper_cart_cart_id_customer_id_unique";`);
    this.addSql(`create table if not exists "uplift_shopper_cart" ("id" text not null, "cart_id" text not null, "customer_id" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "uplift_shopper_cart_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_shopper_cart_deleted_at" ON "uplift_shopper_cart" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_uplift_shopper_cart_cart_id_customer_id_unique" ON "uplift_shopper_cart" ("cart_id", "customer_id") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "uplift_shopper_cart" cascade;`);
  }

}
