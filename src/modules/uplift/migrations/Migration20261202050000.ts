import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261202050000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "uplift_erased_customer" drop constraint if exists "uplift_erased_customer_customer_id_unique";`);
    this.addSql(`create table if not exists "uplift_erased_customer" ("id" text not null, "customer_id" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "uplift_erased_customer_pkey" primary key ("id"));`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_uplift_erased_customer_customer_id_unique" ON "uplift_erased_customer" ("customer_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_erased_customer_deleted_at" ON "uplift_erased_customer" ("deleted_at") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "uplift_erased_customer" cascade;`);
  }

}
