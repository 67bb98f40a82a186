/**
 * The cart request decision's statements, timed side by side as named prepared statements and as plain
 * queries (UPLIFT_PREPARED_STATEMENTS=off), alternating every call: the claim (log and issue), the purchase
 * history and risk reads, and the offer lookup every cart update of a logged-in shopper makes.
 * A diagnostic, not a bench section: it needs a database with the plugin's tables (DECISION_STATEMENTS_DB_URL,
 * e.g. a kept bench database, BENCH_KEEP_DB=1) and writes rows for made-up customers into it.
 *   DECISION_STATEMENTS_DB_URL=postgres://postgres@localhost/<db> npx ts-node --transpile-only scripts/bench/decision-statements.ts [rounds]
 */
import knexFactory from "knex"
import DiscountsModuleService from "../../src/modules/discounts/service"
import UpliftModuleService from "../../src/modules/uplift/service"
import FraudModuleService from "../../src/modules/fraud/service"

const ROUNDS = Number(process.argv[2] || 300)

async function main(): Promise<void> {
  const db = knexFactory({ client: "pg", connection: process.env.DECISION_STATEMENTS_DB_URL, pool: { min: 1, max: 4 } })
  const shim = <T extends object>(type: { prototype: T }): T => Object.assign(Object.create(type.prototype), { db_: db })
  const discounts = shim(DiscountsModuleService as any) as DiscountsModuleService
  const uplift = shim(UpliftModuleService as any) as UpliftModuleService
  const fraud = shim(FraudModuleService as any) as FraudModuleService
  const policyId = `upol_bench_${Date.now()}`
  await db("uplift_discount_policy").insert({ id: policyId, name: "statements", status: "active", rounds: JSON.stringify(["first_order"]), ladder: JSON.stringify([10]), max_discount_percent: 10 })
  const policy = { id: policyId, status: "active", budget_amount: null, budget_period: null, per_customer_limit: 1, offer_ttl_hours: 72 }
  const times: Record<string, number[]> = {}
  const time = async (name: string, run: () => Promise<unknown>) => {
    const started = performance.now()
    await run()
    ;(times[name] ??= []).push(performance.now() - started)
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of round % 2 ? ["off", "on"] : ["on", "off"]) {
      process.env.UPLIFT_PREPARED_STATEMENTS = mode
      const customer = `cus_stmt_${round}_${mode}_${Date.now()}`
      await time(`lookup_${mode}`, () => discounts.usableOfferAndDecided(customer, `cart_${customer}`, [policyId]))
      await time(`history_${mode}`, () => uplift.offerHistory(customer))
      await time(`risk_${mode}`, () => fraud.offerRiskSignals(customer, new Date(Date.now() - 30 * 86_400_000)))
      const data = { policy_id: policyId, customer_id: customer, cart_id: `cart_${customer}`, round: "first_order", group: "model" as const, chosen_percent: 10, propensity: 0.9, model_version: "prior", features: { x: 1 }, reasons: ["bench"], basket_value: 20 }
      const issue = { policy, customer_id: customer, cart_id: data.cart_id, discount_percent: 10, reserved_amount: 2, currency_code: "usd", reason: "bench" }
      await time(`claim_${mode}`, () => discounts.decideOnce(data, issue))
    }
  }
  const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]
  for (const name of ["lookup", "history", "risk", "claim"]) {
    const on = times[`${name}_on`].slice(10)
    const off = times[`${name}_off`].slice(10)
    const line = { statement: name, prepared_p50_ms: +quantile(on, 0.5).toFixed(3), plain_p50_ms: +quantile(off, 0.5).toFixed(3), prepared_p90_ms: +quantile(on, 0.9).toFixed(3), plain_p90_ms: +quantile(off, 0.9).toFixed(3), ratio_p50: +(quantile(on, 0.5) / quantile(off, 0.5)).toFixed(3) }
    console.log(JSON.stringify(line))
  }
  await db("uplift_personal_offer").where({ policy_id: policyId }).delete()
  await db("uplift_offer_decision").where({ policy_id: policyId }).delete()
  await db("uplift_discount_policy").where({ id: policyId }).delete()
  await db.destroy()
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
