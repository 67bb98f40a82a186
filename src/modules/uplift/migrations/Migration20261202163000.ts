import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * Per-customer parts of a model version (a recommender's trained customers: embedding and history as
 * bytes), one row per customer and version: served by primary key, kept per version so that a rollback
 * serves the older version's customers, erased with the customer.
 */
export class Migration20261202163000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table if not exists "uplift_model_customer_state" ("model_version_id" text not null, "customer_id" text not null, "state" bytea not null, constraint "uplift_model_customer_state_pkey" primary key ("model_version_id", "customer_id"));`
    )
    this.addSql(`create index if not exists "IDX_uplift_model_customer_state_customer_id" on "uplift_model_customer_state" ("customer_id");`)
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "uplift_model_customer_state" cascade;`)
  }
}
