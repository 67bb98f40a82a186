import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/** Registrations' hashed device and IP, for the fraud model's "accounts signed up on this device" count. */
export class Migration20261203081500 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table if not exists "uplift_fraud_signup_signal" ("id" text not null, "customer_id" text not null, "ip_hash" text null, "device_hash" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "uplift_fraud_signup_signal_pkey" primary key ("id"));`
    )
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_fraud_signup_signal_deleted_at" ON "uplift_fraud_signup_signal" ("deleted_at") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_uplift_fraud_signup_signal_customer_id_unique" ON "uplift_fraud_signup_signal" ("customer_id") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_fraud_signup_signal_device_hash_created_at" ON "uplift_fraud_signup_signal" ("device_hash", "created_at") WHERE deleted_at IS NULL;`)
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "uplift_fraud_signup_signal" cascade;`)
  }
}
