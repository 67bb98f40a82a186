import { Migration } from "@medusajs/framework/mikro-orm/migrations"

const REDEEMED_BY = ["device_hash", "address_hash", "email_norm_hash"]

/**
 * Partial indexes of the orders placed with a promotion, per device, address and normalized email: the
 * linked-account redemption check read every earlier checkout of those identities (an address many accounts
 * ship to, or one flooded with checkouts, made every later promotion checkout on it slower).
 */
export class Migration20261206080000 extends Migration {
  override async up(): Promise<void> {
    for (const column of REDEEMED_BY) {
      this.addSql(
        `CREATE INDEX IF NOT EXISTS "IDX_uplift_fraud_assessment_redeemed_${column}" ON "uplift_fraud_assessment" ("${column}") WHERE order_id IS NOT NULL AND cardinality(promotion_ids) > 0 AND deleted_at IS NULL;`
      )
    }
  }

  override async down(): Promise<void> {
    for (const column of REDEEMED_BY) this.addSql(`DROP INDEX IF EXISTS "IDX_uplift_fraud_assessment_redeemed_${column}";`)
  }
}
