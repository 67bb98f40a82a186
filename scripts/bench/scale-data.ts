import type { Client } from "pg"

/**
 * The scale bench's data set, built inside Postgres (INSERT ... SELECT from generate_series, never row by
 * row from Node): the demo store's seeded history (the Complete Journey households' purchases, source
 * "seed") scaled to `customers` customers and `interactions` interaction rows with new ids.
 *
 * Customer c (0 <= c < customers) replays household c mod H of the demo (H households), from the start of
 * that household's rows, taking as many as its share of the interactions (rows j with
 * floor(j * customers / interactions) = c) and wrapping around when the household has fewer. One copy of
 * each household, spread over the whole range (copy (h * 7919) mod floor(customers / H)), is the demo's own
 * customer (a real Medusa customer, some with logins, its orders real); the others are `cus_scale_<c>` with
 * orders `<order>:<c>`. Every customer gets a plugin profile (the household's
 * attributes). The demo's original seed rows are replaced.
 *
 * Secondary indexes of uplift_interaction are dropped during the insert and built again after it (with
 * the same definitions), which is several times faster than maintaining them row by row.
 */
export interface ScaleDataOptions {
  customers: number
  interactions: number
  /** Rows per INSERT statement (progress is logged after each). */
  chunk?: number
  log?: (message: string) => void
}

export interface ScaleDataResult {
  households: number
  customers: number
  interactions: number
  purchases: number
  buildS: number
}

export async function buildScaleData(db: Client, options: ScaleDataOptions): Promise<ScaleDataResult> {
  const { customers: C, interactions: M } = options
  const log = options.log ?? (() => undefined)
  const chunk = options.chunk ?? 2_000_000
  if (!(C >= 1 && M >= C)) throw new Error(`--customers ${C} --interactions ${M}: need 1 <= customers <= interactions`)
  const started = Date.now()
  await db.query("set maintenance_work_mem = '512MB'")
  await db.query("set work_mem = '64MB'")
  await db.query(`
    create temp table scale_src as
    select customer_id, product_id, variant_id, order_id, quantity, value, currency_code, occurred_at, kind,
           (dense_rank() over (order by customer_id) - 1)::int as hh,
           (row_number() over (partition by customer_id order by occurred_at, id) - 1)::int as rn
    from uplift_interaction
    where source = 'seed' and customer_id is not null and deleted_at is null`)
  await db.query("create index on scale_src (hh, rn)")
  await db.query(`create temp table scale_hh as select hh, min(customer_id) as customer_id, count(*)::int as n from scale_src group by hh`)
  await db.query("create unique index on scale_hh (hh)")
  await db.query("analyze scale_src; analyze scale_hh")
  const H = Number((await db.query("select count(*)::int as n from scale_hh")).rows[0].n)
  if (!H) throw new Error("no seeded interactions to scale (is this a seeded demo store?)")
  log(`scaling ${H} demo households to ${C.toLocaleString("en-US")} customers, ${M.toLocaleString("en-US")} interactions`)

  // Household h's real customer is one of its copies, spread over the whole range of customers (not
  // the first H), so that the logged-in shoppers are as far into the data as anyone: copy (h * 7919) mod K.
  const copies = Math.max(1, Math.floor(C / H))
  const REAL = `(g.c / $3) = ((g.c % $3) * 7919) % ${copies}`

  // Secondary indexes (not the primary key) go during the insert and come back after it.
  const { rows: indexes } = await db.query(
    `select i.indexname, i.indexdef from pg_indexes i
     where i.tablename = 'uplift_interaction' and i.schemaname = current_schema()
       and i.indexname not in (select conname from pg_constraint where contype = 'p')`
  )
  await db.query("delete from uplift_interaction where source = 'seed'")
  for (const index of indexes) await db.query(`drop index if exists "${index.indexname}"`)
  for (let from = 0; from < M; from += chunk) {
    const to = Math.min(M, from + chunk)
    await db.query(
      `insert into uplift_interaction
         (id, dedupe_key, kind, source, customer_id, cart_id, order_id, product_id, variant_id, quantity, value, currency_code, occurred_at, created_at, updated_at)
       select 'uint_scale_' || g.j, 'scale:' || g.j, s.kind, 'seed',
              case when ${REAL} then h.customer_id else 'cus_scale_' || g.c end,
              null,
              case when ${REAL} or s.order_id is null then s.order_id else s.order_id || ':' || g.c end,
              s.product_id, s.variant_id, s.quantity, s.value, s.currency_code, s.occurred_at, now(), now()
       from (
         select j, c, (j - (c * $2::bigint + $1 - 1) / $1) as k
         from (select j, (j * $1::bigint / $2)::bigint as c from generate_series($4::bigint, $5::bigint - 1) as j) x
       ) g
       join scale_hh h on h.hh = (g.c % $3)::int
       join scale_src s on s.hh = h.hh and s.rn = (g.k % h.n)::int`,
      [C, M, H, from, to]
    )
    log(`interactions ${to.toLocaleString("en-US")}/${M.toLocaleString("en-US")} (${Math.round((Date.now() - started) / 1000)} s)`)
  }
  for (const index of indexes) {
    await db.query(index.indexdef)
    log(`index ${index.indexname} built (${Math.round((Date.now() - started) / 1000)} s)`)
  }

  // One plugin profile per customer: the scaled ones copy their household's attributes.
  await db.query(
    `insert into uplift_customer_profile (id, customer_id, email_hash, has_account, signed_up_at, attributes, created_at, updated_at)
     select 'ucpr_scale_' || c, 'cus_scale_' || c, null, false, p.signed_up_at, p.attributes, now(), now()
     from generate_series(0, $1::bigint - 1) as c
     join scale_hh h on h.hh = (c % $2)::int
     left join uplift_customer_profile p on p.customer_id = h.customer_id and p.deleted_at is null
     where not (${REAL.replace(/g\.c/g, "c").replace(/\$3/g, "$2")})
     on conflict do nothing`,
    [C, H]
  )
  await db.query("analyze uplift_interaction; analyze uplift_customer_profile")
  // The demo's trained models learned from the unscaled history: the bench's trainings replace them.
  await db.query("update uplift_model_version set status = 'retired', updated_at = now() where status = 'active'")
  const { rows } = await db.query(
    `select count(*)::bigint as n, count(*) filter (where kind = 'purchase')::bigint as purchases, count(distinct customer_id)::bigint as customers
     from uplift_interaction`
  )
  await db.query("drop table scale_src; drop table scale_hh")
  const result = {
    households: H,
    customers: Number(rows[0].customers),
    interactions: Number(rows[0].n),
    purchases: Number(rows[0].purchases),
    buildS: (Date.now() - started) / 1000,
  }
  log(`data set built in ${Math.round(result.buildS)} s: ${JSON.stringify(result)}`)
  return result
}
