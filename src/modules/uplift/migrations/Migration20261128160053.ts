import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261128160053 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table if not exists "uplift_outbox_job" ("id" text not null, "queue" text not null, "name" text not null, "job_id" text not null, "data" jsonb not null, "attempts" integer not null default 0, "last_error" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "uplift_outbox_job_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_outbox_job_deleted_at" ON "uplift_outbox_job" ("deleted_at") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "uplift_outbox_job" cascade;`);
  }

}
