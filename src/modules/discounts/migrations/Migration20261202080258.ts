import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261202080258 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "uplift_discount_policy" add column if not exists "cold_start" text check ("cold_start" in ('no_discount', 'prior')) not null default 'no_discount';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "uplift_discount_policy" drop column if exists "cold_start";`);
  }

}
