import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/** A registration's acquisition channel (seo, ads, direct), for the fraud model's signup_source_direct. */
export class Migration20261203170500 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table if exists "uplift_fraud_signup_signal" add column if not exists "source" text null;`)
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "uplift_fraud_signup_signal" drop column if exists "source";`)
  }
}
