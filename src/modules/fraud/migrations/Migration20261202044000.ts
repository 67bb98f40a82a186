import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/** Hold audit trail: "capture_refunded" records a capture on a held order that the plugin refunded. */
export class Migration20261202044000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table if exists "uplift_fraud_hold_event" drop constraint if exists "uplift_fraud_hold_event_action_check";`)
    this.addSql(
      `alter table if exists "uplift_fraud_hold_event" add constraint "uplift_fraud_hold_event_action_check" check ("action" in ('opened', 'released', 'rejected', 'release_reverted', 'capture_refunded'));`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`delete from "uplift_fraud_hold_event" where "action" = 'capture_refunded';`)
    this.addSql(`alter table if exists "uplift_fraud_hold_event" drop constraint if exists "uplift_fraud_hold_event_action_check";`)
    this.addSql(
      `alter table if exists "uplift_fraud_hold_event" add constraint "uplift_fraud_hold_event_action_check" check ("action" in ('opened', 'released', 'rejected', 'release_reverted'));`
    )
  }
}
