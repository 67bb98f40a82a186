import knexFactory from "knex"
import NewService from "../../src/modules/discounts/service"
import OldService from "../../../main/src/modules/discounts/service"

async function main(): Promise<void> {
  const db = knexFactory({ client: "pg", connection: process.env.DECISION_STATEMENTS_DB_URL, pool: { min: 1, max: 1 } })
  const shim = (type: any) => Object.assign(Object.create(type.prototype), { db_: db })
  const services: Record<string, any> = { old: shim(OldService), new: shim(NewService) }
  await db.raw("set plan_cache_mode = force_generic_plan")
  const policyId = `upol_cmp_${Date.now()}`
  await db("uplift_discount_policy").insert({ id: policyId, name: "cmp", status: "active", rounds: JSON.stringify(["first_order"]), ladder: JSON.stringify([10]), max_discount_percent: 10 })
  const policy = { id: policyId, status: "active", budget_amount: null, budget_period: null, per_customer_limit: 1, offer_ttl_hours: 72 }
  const features = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, i * 1.5]))
  const candidates = [0, 10, 15].map((p) => ({ percent: p, p_buy: 0.1, expected_profit: 3 }))
  const t: Record<string, number[]> = {}
  const rounds = Number(process.argv[2] || 300)
  for (let i = 0; i < rounds; i++) {
    for (const version of i % 2 ? ["old", "new"] : ["new", "old"]) {
      for (const kind of ["issue", "holdout", "again"]) {
        const customer = `cus_cmp_${i}_${version}_${kind === "again" ? "issue" : kind}`
        const data = { policy_id: policyId, customer_id: customer, cart_id: `cart_${customer}`, round: "first_order", group: kind === "holdout" ? "holdout" : "model", chosen_percent: kind === "holdout" ? 0 : 10, propensity: 0.9, model_version: "prior", features, candidates, reasons: ["bench"], basket_value: 20 }
        const issue = kind === "holdout" ? undefined : { policy, customer_id: customer, cart_id: data.cart_id, discount_percent: 10, reserved_amount: 2, currency_code: "usd", reason: "bench" }
        const started = performance.now()
        const result = await services[version].decideOnce(data, issue)
        ;(t[`${kind}_${version}`] ??= []).push(performance.now() - started)
        if (kind === "again" && (result.recorded || !result.offer || !result.decision)) throw new Error(`${version}: a second claim should adopt the standing decision and offer`)
        if (kind === "issue" && (!result.recorded || !result.offer)) throw new Error(`${version}: first claim should issue`)
      }
    }
  }
  const q = (v: number[], p: number) => [...v].sort((a, b) => a - b)[Math.floor(p * v.length)]
  for (const kind of ["issue", "holdout", "again"]) {
    const o = t[`${kind}_old`].slice(10), n = t[`${kind}_new`].slice(10)
    console.log(JSON.stringify({ kind, old_p50: +q(o, 0.5).toFixed(3), new_p50: +q(n, 0.5).toFixed(3), old_p90: +q(o, 0.9).toFixed(3), new_p90: +q(n, 0.9).toFixed(3), ratio_p50: +(q(n, 0.5) / q(o, 0.5)).toFixed(3) }))
  }
  await db("uplift_personal_offer").where({ policy_id: policyId }).delete()
  await db("uplift_offer_decision").where({ policy_id: policyId }).delete()
  await db.destroy()
}
main().catch((e) => { console.error(e); process.exit(1) })
