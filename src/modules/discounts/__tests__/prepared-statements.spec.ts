import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import type { Knex } from "knex"
import { DISCOUNTS_MODULE } from ".."
import DiscountsModuleService from "../service"
import knex from "knex"
import { preparedQuery } from "../../../lib/prepared-statements"

jest.setTimeout(60_000)

const preparedOnConnection = async (trx: Knex.Transaction): Promise<string[]> =>
  (await trx.raw("select name from pg_prepared_statements where name like 'uplift_%' order by name")).rows.map((row: { name: string }) => row.name)

moduleIntegrationTestRunner<DiscountsModuleService>({
  moduleName: DISCOUNTS_MODULE,
  resolve: "./src/modules/discounts",
  moduleOptions: {},
  testSuite: ({ service }) => {
    afterEach(() => {
      delete process.env.UPLIFT_PREPARED_STATEMENTS
    })

    it("behind a pooler that drops prepared statements, runs the statement again plain and stops preparing", async () => {
      const shared = (service as unknown as { db_: Knex }).db_
      // One connection, so that the statement, the DEALLOCATE (what a transaction-mode pooler does by handing
      // over another server connection) and the retry meet on the same server session.
      const db = knex({ client: "pg", connection: (shared.client as any).config.connection, pool: { min: 1, max: 1 } })
      try {
        const answer = () => preparedQuery(db, db.select(db.raw("41 + 1 as answer")))
        expect(await answer()).toEqual([{ answer: 42 }])
        expect((await db.raw("select count(*)::int as n from pg_prepared_statements where name like 'uplift_%'")).rows[0].n).toBe(1)
        await db.raw("deallocate all")
        expect(await answer()).toEqual([{ answer: 42 }])
        expect(await answer()).toEqual([{ answer: 42 }])
        expect((await db.raw("select count(*)::int as n from pg_prepared_statements where name like 'uplift_%'")).rows[0].n).toBe(0)
      } finally {
        await db.destroy()
      }
    })

    it("leaves the app's connections planning Medusa's statements with their values", async () => {
      process.env.UPLIFT_PREPARED_STATEMENTS = "on"
      const shared = (service as unknown as { db_: Knex }).db_
      const db = knex({ client: "pg", connection: (shared.client as any).config.connection, pool: { min: 1, max: 1 } })
      try {
        const lookup = (id: string) => preparedQuery(db, db("uplift_discount_policy").where({ id }).select("id"))
        for (const id of ["upol_a", "upol_b", "upol_c"]) expect(await lookup(id)).toEqual([])
        expect((await db.raw("select count(*)::int as n from pg_prepared_statements where name like 'uplift_%'")).rows[0].n).toBe(1)
        // The pool is the app's: a session setting such as plan_cache_mode = force_generic_plan would plan every
        // parameterized statement of Medusa's on this connection without its values too, unnamed ones included.
        const settings = await db.raw("select name, setting from pg_settings where source = 'session' and name like '%plan%'")
        expect(settings.rows).toEqual([])
        expect((await db.raw("select current_setting('plan_cache_mode') as mode")).rows[0].mode).toBe("auto")
      } finally {
        await db.destroy()
      }
    })

    it("prepares a decision statement once on the connection it runs on, inside the caller's transaction", async () => {
      process.env.UPLIFT_PREPARED_STATEMENTS = "on"
      const db = (service as unknown as { db_: Knex }).db_
      await db.transaction(async (trx) => {
        await trx("uplift_discount_policy").insert({ id: "upol_uncommitted", name: "Welcome", rounds: "[]", ladder: "[10]", max_discount_percent: 10 })
        const before = await preparedOnConnection(trx)
        const lookup = () => preparedQuery(trx, trx("uplift_discount_policy").where({ id: "upol_uncommitted" }).select("id", "max_discount_percent"))
        // The uncommitted row is visible: the statement ran on the transaction's connection.
        expect(await lookup()).toEqual([{ id: "upol_uncommitted", max_discount_percent: 10 }])
        expect(await lookup()).toEqual([{ id: "upol_uncommitted", max_discount_percent: 10 }])
        expect((await preparedOnConnection(trx)).length).toBe(before.length + 1)

        process.env.UPLIFT_PREPARED_STATEMENTS = "off"
        const other = await preparedQuery(trx, trx("uplift_discount_policy").where({ name: "Welcome" }).select("id"))
        expect(other).toEqual([{ id: "upol_uncommitted" }])
        expect((await preparedOnConnection(trx)).length).toBe(before.length + 1)
        await trx.rollback()
      }).catch((error) => {
        if (error) throw error
      })
    })

    it("decides and issues the same with prepared statements on and off", async () => {
      const policy = await service.createDiscountPolicies({ name: "Welcome", status: "active", rounds: ["first_order"] as any, ladder: [10] as any, max_discount_percent: 10, offer_ttl_hours: 24 })
      const record = { id: policy.id, status: "active", budget_amount: null, budget_period: null, per_customer_limit: 1, offer_ttl_hours: 24 }
      const decide = (customerId: string) =>
        service.decideOnce(
          { policy_id: policy.id, customer_id: customerId, cart_id: `cart_${customerId}`, group: "fixed", chosen_percent: 10, propensity: 1, model_version: "rules", round: "first_order", reasons: ["test"] },
          { policy: record, customer_id: customerId, cart_id: `cart_${customerId}`, discount_percent: 10, reserved_amount: 2, currency_code: "usd", reason: "test" }
        )
      process.env.UPLIFT_PREPARED_STATEMENTS = "on"
      const prepared = [await decide("cus_1"), await decide("cus_1")]
      process.env.UPLIFT_PREPARED_STATEMENTS = "off"
      const plain = [await decide("cus_2"), await decide("cus_2")]
      for (const [first, second] of [prepared, plain]) {
        expect(first.recorded).toBe(true)
        expect(first.offer?.discount_percent).toBe(10)
        expect(second.recorded).toBe(false)
        expect(second.offer?.id).toBe(first.offer?.id)
      }
      const lookups = [await service.usableOfferAndDecided("cus_2", "cart_cus_2", [policy.id])]
      process.env.UPLIFT_PREPARED_STATEMENTS = "on"
      lookups.push(await service.usableOfferAndDecided("cus_2", "cart_cus_2", [policy.id]))
      expect(lookups.map((lookup) => [lookup.offer?.id, [...lookup.decided]])).toEqual([
        [plain[0].offer?.id, [policy.id]],
        [plain[0].offer?.id, [policy.id]],
      ])
    })
  },
})
