import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261128153723 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table if not exists "uplift_discount_policy" ("id" text not null, "name" text not null, "status" text check ("status" in ('draft', 'active', 'paused', 'shadow')) not null default 'draft', "strategy" text check ("strategy" in ('model', 'fixed')) not null default 'model', "target" text check ("target" in ('order', 'items')) not null default 'order', "rounds" jsonb not null, "win_back_after_days" integer null, "abandoned_after_hours" integer null, "ladder" jsonb not null, "max_discount_percent" real not null, "min_margin_percent" real not null default 0, "budget_amount" real null, "budget_currency_code" text null, "budget_period" text check ("budget_period" in ('day', 'week', 'month')) null, "holdout_percent" real not null default 10, "exploration_percent" real not null default 5, "per_customer_limit" integer not null default 1, "offer_ttl_hours" integer not null default 72, "stacking" text check ("stacking" in ('exclusive', 'combine')) not null default 'exclusive', "max_total_discount_percent" real null, "objective" text check ("objective" in ('profit', 'revenue', 'conversion')) not null default 'profit', "fairness" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "uplift_discount_policy_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_discount_policy_deleted_at" ON "uplift_discount_policy" ("deleted_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "uplift_offer_decision" ("id" text not null, "policy_id" text not null, "customer_id" text not null, "cart_id" text null, "round" text null, "group" text check ("group" in ('holdout', 'explore', 'model', 'fixed', 'ineligible')) not null, "chosen_percent" real not null default 0, "propensity" real not null default 1, "model_version" text not null, "features_digest" text null, "candidates" jsonb null, "reasons" jsonb null, "basket_value" real not null default 0, "margin_percent" real null, "shadow" boolean not null default false, "fairness_value" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "uplift_offer_decision_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_offer_decision_deleted_at" ON "uplift_offer_decision" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_offer_decision_policy_id_customer_id" ON "uplift_offer_decision" ("policy_id", "customer_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_offer_decision_policy_id_created_at" ON "uplift_offer_decision" ("policy_id", "created_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "uplift_personal_offer" ("id" text not null, "policy_id" text not null, "decision_id" text not null, "customer_id" text not null, "cart_id" text null, "discount_percent" real not null, "status" text check ("status" in ('active', 'redeemed', 'expired', 'revoked')) not null default 'active', "reserved_amount" real not null default 0, "redeemed_amount" real null, "currency_code" text null, "expires_at" timestamptz not null, "order_id" text null, "redeemed_at" timestamptz null, "revoked_reason" text null, "reason" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "uplift_personal_offer_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_personal_offer_deleted_at" ON "uplift_personal_offer" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_personal_offer_customer_id_status" ON "uplift_personal_offer" ("customer_id", "status") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_personal_offer_policy_id_status" ON "uplift_personal_offer" ("policy_id", "status") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_uplift_personal_offer_cart_id" ON "uplift_personal_offer" ("cart_id") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "uplift_discount_policy" cascade;`);

    this.addSql(`drop table if exists "uplift_offer_decision" cascade;`);

    this.addSql(`drop table if exists "uplift_personal_offer" cascade;`);
  }

}
