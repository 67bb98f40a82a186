import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261202042902 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "uplift_personal_offer" drop constraint if exists "uplift_personal_offer_status_check";`);

    this.addSql(`alter table if exists "uplift_personal_offer" add column if not exists "claimed_at" timestamptz null;`);
    this.addSql(`alter table if exists "uplift_personal_offer" add constraint "uplift_personal_offer_status_check" check("status" in ('active', 'claimed', 'held', 'redeemed', 'expired', 'revoked'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "uplift_personal_offer" drop constraint if exists "uplift_personal_offer_status_check";`);

    this.addSql(`alter table if exists "uplift_personal_offer" drop column if exists "claimed_at";`);

    this.addSql(`alter table if exists "uplift_personal_offer" add constraint "uplift_personal_offer_status_check" check("status" in ('active', 'held', 'redeemed', 'expired', 'revoked'));`);
  }

}
