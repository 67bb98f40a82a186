import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261202170000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "uplift_discount_policy" drop constraint if exists "uplift_discount_policy_cold_start_check";`);
    this.addSql(`alter table if exists "uplift_discount_policy" add constraint "uplift_discount_policy_cold_start_check" check ("cold_start" in ('no_discount', 'prior', 'explore'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`update "uplift_discount_policy" set "cold_start" = 'no_discount' where "cold_start" = 'explore';`);
    this.addSql(`alter table if exists "uplift_discount_policy" drop constraint if exists "uplift_discount_policy_cold_start_check";`);
    this.addSql(`alter table if exists "uplift_discount_policy" add constraint "uplift_discount_policy_cold_start_check" check ("cold_start" in ('no_discount', 'prior'));`);
  }

}
