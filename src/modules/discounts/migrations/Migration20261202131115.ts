import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261202131115 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "uplift_offer_decision" drop constraint if exists "uplift_offer_decision_policy_id_customer_id_claim_key_unique";`);
    this.addSql(`alter table if exists "uplift_offer_decision" add column if not exists "claim_key" text null;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_uplift_offer_decision_policy_id_customer_id_claim_key_unique" ON "uplift_offer_decision" ("policy_id", "customer_id", "claim_key") WHERE claim_key IS NOT NULL AND deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_uplift_offer_decision_policy_id_customer_id_claim_key_unique";`);
    this.addSql(`alter table if exists "uplift_offer_decision" drop column if exists "claim_key";`);
  }

}
