import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261128155432 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "uplift_offer_decision" add column if not exists "features" jsonb null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "uplift_offer_decision" drop column if exists "features";`);
  }

}
