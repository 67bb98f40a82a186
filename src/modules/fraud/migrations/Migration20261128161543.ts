import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261128161543 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "uplift_fraud_hold" drop constraint if exists "uplift_fraud_hold_cart_id_unique";`);
    this.addSql(`alter table if exists "uplift_fraud_client_signal" drop constraint if exists "uplift_fraud_client_signal_cart_id_unique";`);
    this.addSql(`create table if not exists "uplift_fraud_assessment" ("id" text not null, "cart_id" text not null, "order_id" text null, "customer_id" text null, "email_hash" text null, "email_norm_hash" text null, "ip_hash" text null, "device_hash" text null, "address_hash" text null, "promotion_ids" text[] not null default '{}', "amount" real not null default 0, "currency_code" text null, "score" integer null, "probability" real null, "model_version" text null, "model_engine" text null, "model_error" text null, "decision" text check ("decision" in ('allow', 'hold', 'block')) not null, "rule_id" text null, "reason" text not null, "facts" jsonb not null, "signals" jsonb not null, "features" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "uplift_fraud_assessment_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_fraud_assessment_deleted_at" ON "uplift_fraud_assessment" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_fraud_assessment_cart_id" ON "uplift_fraud_assessment" ("cart_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_fraud_assessment_order_id" ON "uplift_fraud_assessment" ("order_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_fraud_assessment_customer_id_created_at" ON "uplift_fraud_assessment" ("customer_id", "created_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_fraud_assessment_email_hash_created_at" ON "uplift_fraud_assessment" ("email_hash", "created_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_fraud_assessment_email_norm_hash" ON "uplift_fraud_assessment" ("email_norm_hash") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_fraud_assessment_ip_hash_created_at" ON "uplift_fraud_assessment" ("ip_hash", "created_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_fraud_assessment_device_hash_created_at" ON "uplift_fraud_assessment" ("device_hash", "created_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_fraud_assessment_address_hash_created_at" ON "uplift_fraud_assessment" ("address_hash", "created_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "uplift_fraud_client_signal" ("id" text not null, "cart_id" text not null, "ip_hash" text null, "device_hash" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "uplift_fraud_client_signal_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_fraud_client_signal_deleted_at" ON "uplift_fraud_client_signal" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_uplift_fraud_client_signal_cart_id_unique" ON "uplift_fraud_client_signal" ("cart_id") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "uplift_fraud_hold" ("id" text not null, "cart_id" text not null, "order_id" text null, "assessment_id" text null, "status" text check ("status" in ('open', 'released', 'rejected')) not null default 'open', "reason" text not null, "resolved_by" text null, "resolved_at" timestamptz null, "note" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "uplift_fraud_hold_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_fraud_hold_deleted_at" ON "uplift_fraud_hold" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_uplift_fraud_hold_cart_id_unique" ON "uplift_fraud_hold" ("cart_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_fraud_hold_order_id" ON "uplift_fraud_hold" ("order_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_fraud_hold_status_created_at" ON "uplift_fraud_hold" ("status", "created_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "uplift_fraud_hold_event" ("id" text not null, "hold_id" text not null, "order_id" text not null, "action" text check ("action" in ('opened', 'released', 'rejected', 'release_reverted')) not null, "actor_id" text null, "note" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "uplift_fraud_hold_event_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_fraud_hold_event_deleted_at" ON "uplift_fraud_hold_event" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_fraud_hold_event_hold_id" ON "uplift_fraud_hold_event" ("hold_id") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "uplift_fraud_label" ("id" text not null, "order_id" text not null, "customer_id" text null, "assessment_id" text null, "label" text check ("label" in ('fraud', 'legit')) not null, "source" text check ("source" in ('chargeback', 'manual', 'hold_release', 'hold_reject')) not null, "actor_id" text null, "note" text null, "features" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "uplift_fraud_label_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_fraud_label_deleted_at" ON "uplift_fraud_label" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_fraud_label_order_id" ON "uplift_fraud_label" ("order_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_fraud_label_customer_id" ON "uplift_fraud_label" ("customer_id") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "uplift_fraud_rule" ("id" text not null, "name" text not null, "enabled" boolean not null default true, "priority" integer not null default 0, "conditions" jsonb not null, "action" text check ("action" in ('allow', 'hold', 'block')) not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "uplift_fraud_rule_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_fraud_rule_deleted_at" ON "uplift_fraud_rule" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_fraud_rule_enabled_priority" ON "uplift_fraud_rule" ("enabled", "priority") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "uplift_fraud_setting" ("id" text not null, "hold_score" integer null, "block_score" integer null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "uplift_fraud_setting_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_fraud_setting_deleted_at" ON "uplift_fraud_setting" ("deleted_at") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "uplift_fraud_assessment" cascade;`);

    this.addSql(`drop table if exists "uplift_fraud_client_signal" cascade;`);

    this.addSql(`drop table if exists "uplift_fraud_hold" cascade;`);

    this.addSql(`drop table if exists "uplift_fraud_hold_event" cascade;`);

    this.addSql(`drop table if exists "uplift_fraud_label" cascade;`);

    this.addSql(`drop table if exists "uplift_fraud_rule" cascade;`);

    this.addSql(`drop table if exists "uplift_fraud_setting" cascade;`);
  }

}
