import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * uplift_insert_interactions(jsonb): stores interaction rows (a JSON array) in one round trip, as
 * recordInteractions did in four (begin, locks, insert, commit). It takes the customers' shared erasure
 * locks first (the advisory locks of erasure.ts, in the same order), then inserts all but the erased
 * customers' rows, skipping existing dedupe keys, and returns the inserted rows' customer ids. A volatile
 * plpgsql function takes a fresh snapshot per statement, so the insert sees every tombstone committed
 * before the locks were granted, as the insert after lockCustomers in a transaction does.
 */
export class Migration20261203080000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function uplift_insert_interactions(interactions jsonb) returns setof text
language plpgsql volatile as $body$
begin
  perform pg_advisory_xact_lock_shared(hashtext('uplift-customer-erasure'), hashtext(ids.id))
     from (select distinct r->>'customer_id' as id from jsonb_array_elements(interactions) as r where r->>'customer_id' is not null) as ids
    order by ids.id;
  return query
    insert into uplift_interaction (id, dedupe_key, kind, source, customer_id, cart_id, order_id, product_id, variant_id, quantity, value, currency_code, occurred_at)
    select r.id, r.dedupe_key, r.kind, r.source, r.customer_id, r.cart_id, r.order_id, r.product_id, r.variant_id, r.quantity, r.value, r.currency_code, r.occurred_at
      from jsonb_to_recordset(interactions) as r(id text, dedupe_key text, kind text, source text, customer_id text, cart_id text, order_id text,
           product_id text, variant_id text, quantity integer, value double precision, currency_code text, occurred_at timestamptz)
     where r.customer_id is null
        or not exists (select 1 from uplift_erased_customer as e where e.customer_id = r.customer_id and e.deleted_at is null)
    on conflict (dedupe_key) where deleted_at is null do nothing
    returning uplift_interaction.customer_id;
end
$body$;`)
  }

  override async down(): Promise<void> {
    this.addSql(`drop function if exists uplift_insert_interactions(jsonb);`)
  }
}
