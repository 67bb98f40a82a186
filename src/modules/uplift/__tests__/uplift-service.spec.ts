/**
 * @jest-environment ./src/ml/testing/node-realm-environment.js
 */
import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { UPLIFT_MODULE } from ".."
import type { Knex } from "knex"
import { lockCustomers } from "../erasure"
import UpliftModuleService from "../service"
import { InteractionInput } from "../types"

jest.setTimeout(60_000)

const purchase = (overrides: Partial<InteractionInput> = {}): InteractionInput => ({
  dedupe_key: "purchase:order_1:line_1",
  kind: "purchase",
  customer_id: "cus_1",
  order_id: "order_1",
  product_id: "prod_1",
  variant_id: "variant_1",
  quantity: 2,
  value: 40,
  currency_code: "usd",
  occurred_at: new Date("2026-01-01T10:00:00Z"),
  ...overrides,
})

moduleIntegrationTestRunner<UpliftModuleService>({
  moduleName: UPLIFT_MODULE,
  resolve: "./src/modules/uplift",
  // The schema of the module's migrations (as a store gets it): uplift_model_customer_state has no DML model
  // (a bytea column keyed by version and customer).
  pathToMigrations: "./src/modules/uplift/migrations",
  moduleOptions: {},
  testSuite: ({ service }) => {
    it("stores an interaction once however often it is recorded", async () => {
      expect(await service.recordInteractions([purchase(), purchase()])).toBe(1)
      expect(await service.recordInteractions([purchase(), purchase({ dedupe_key: "purchase:order_1:line_2" })])).toBe(1)
      expect(await service.listInteractions({ customer_id: "cus_1" })).toHaveLength(2)
    })

    it("runs queued ingestion in-process without Redis and refreshes the customer's purchase stats", async () => {
      await service.upsertCustomerProfile({ customer_id: "cus_1", email: "A@Example.com" })
      await service.enqueueInteractions("job-1", [purchase(), purchase({ dedupe_key: "purchase:order_2:line_1", order_id: "order_2", value: 10 })])
      await service.enqueueInteractions("job-1", [purchase({ dedupe_key: "other" })])
      await service.eventsQueue!.drainInProcess()
      expect(await service.listInteractions({})).toHaveLength(2)
      const [profile] = await service.listCustomerProfiles({ customer_id: "cus_1" })
      expect(profile.attributes).toMatchObject({ stats: { order_count: 2, total_spent: 50 } })
      expect((await service.status()).queue_mode).toBe("in-process")
    })

    it("stores each interaction of batched events once: repeated within a batch and across redelivered batches", async () => {
      await service.upsertCustomerProfile({ customer_id: "cus_1" })
      const line = (order: number) => purchase({ dedupe_key: `purchase:order_${order}:line_1`, order_id: `order_${order}` })
      await service.enqueueInteractionBatch([line(1), line(2), line(1)])
      await service.enqueueInteractionBatch([line(2), line(1), line(1)])
      await service.enqueueInteractionBatch([line(2), line(3)])
      await service.eventsQueue!.drainInProcess()
      const rows = await service.listInteractions({ customer_id: "cus_1" })
      expect(rows.map((row) => row.dedupe_key).sort()).toEqual(["purchase:order_1:line_1", "purchase:order_2:line_1", "purchase:order_3:line_1"])
      const [profile] = await service.listCustomerProfiles({ customer_id: "cus_1" })
      expect(profile.attributes).toMatchObject({ stats: { order_count: 3, total_spent: 120 } })
    })

    it("stores a batch of events' interactions at once, each once: repeated within a batch, across redelivered and overlapping batches", async () => {
      await service.upsertCustomerProfile({ customer_id: "cus_1" })
      await service.eraseCustomer("cus_gone")
      const line = (order: number, customer = "cus_1") => purchase({ dedupe_key: `purchase:order_${order}:line_1`, order_id: `order_${order}`, customer_id: customer })
      const cartLine = purchase({ dedupe_key: "cart:cart_1:guest:variant_1:2", kind: "cart_item", customer_id: null, order_id: null, cart_id: "cart_1" })
      expect(await service.storeInteractionBatch([line(1), line(2), line(1), cartLine, line(9, "cus_gone")])).toBe(3)
      expect(await service.storeInteractionBatch([cartLine, line(2), line(1)])).toBe(0)
      expect(await service.storeInteractionBatch([line(2), line(3)])).toBe(1)
      await service.eventsQueue!.drainInProcess()
      const rows = await service.listInteractions({})
      expect(rows.map((row) => row.dedupe_key).sort()).toEqual([cartLine.dedupe_key, "purchase:order_1:line_1", "purchase:order_2:line_1", "purchase:order_3:line_1"])
      expect(rows.find((row) => row.kind === "cart_item")).toMatchObject({ customer_id: null, cart_id: "cart_1", quantity: 2, value: 40, currency_code: "usd" })
      expect(new Date(rows[0].occurred_at).toISOString()).toBe("2026-01-01T10:00:00.000Z")
      const [profile] = await service.listCustomerProfiles({ customer_id: "cus_1" })
      expect(profile.attributes).toMatchObject({ stats: { order_count: 3, total_spent: 120 } })
    })

    it("erases a customer's interactions and profile", async () => {
      await service.upsertCustomerProfile({ customer_id: "cus_1", email: "a@example.com" })
      await service.recordInteractions([purchase(), purchase({ dedupe_key: "x", customer_id: "cus_2" })])
      expect(await service.eraseCustomer("cus_1")).toEqual({ interactions: 1, profiles: 1, outbox_jobs: 0, queued_jobs: 0 })
      expect(await service.listInteractions({})).toHaveLength(1)
    })

    it("tells its history's listeners which customers' history changed or was erased, and serves the recommender's reads", async () => {
      const changed: string[][] = []
      const erased: string[][] = []
      const stopChanged = service.history.onChanged((ids) => changed.push(ids))
      const stopErased = service.history.onErased((ids) => erased.push(ids))
      try {
        await service.recordInteractions([purchase(), purchase({ dedupe_key: "cart:1", kind: "cart_item", customer_id: "cus_2", product_id: "prod_2" })])
        await service.recordInteractions([purchase()]) // already stored: nothing changed
        expect(changed).toEqual([["cus_1", "cus_2"]])
        const stamps = await service.history.historyStamps(["cus_1", "cus_3"])
        expect(stamps.get("cus_1")).toMatch(/^1:/)
        expect(stamps.get("cus_3")).toBe("none")
        expect((await service.history.customersEvents(["cus_1", "cus_2"])).get("cus_2")).toEqual([expect.objectContaining({ product_id: "prod_2", kind: "cart_item" })])
        expect(await service.history.trainingPurchases()).toEqual([expect.objectContaining({ customer_id: "cus_1", product_id: "prod_1", quantity: 2 })])

        await service.eraseCustomer("cus_1")
        expect(erased).toEqual([["cus_1"]])
        expect(await service.history.customerEvents("cus_1")).toEqual([])
      } finally {
        stopChanged()
        stopErased()
      }
    })

    it("refuses an erased customer's interactions and profile afterwards (a late job brings nothing back)", async () => {
      await service.eraseCustomer("cus_1")
      expect(await service.recordInteractions([purchase(), purchase({ dedupe_key: "y", customer_id: "cus_2" })])).toBe(1)
      await service.upsertCustomerProfile({ customer_id: "cus_1", email: "a@example.com" })
      expect(await service.listInteractions({ customer_id: "cus_1" })).toHaveLength(0)
      expect(await service.listCustomerProfiles({ customer_id: "cus_1" })).toHaveLength(0)
      expect(await service.listInteractions({ customer_id: "cus_2" })).toHaveLength(1)
    })

    it("writes many profiles and their purchase stats at once, as one at a time would, never an erased customer's", async () => {
      await service.eraseCustomer("cus_gone")
      await service.recordInteractions([purchase(), purchase({ dedupe_key: "purchase:order_2:line_1", order_id: "order_2", value: 10 })])
      await service.upsertCustomerProfiles([
        { customer_id: "cus_1", email: "old@example.com", attributes: { tier: "old" } },
        { customer_id: "cus_2", signed_up_at: "2026-01-02T00:00:00Z" },
        { customer_id: "cus_gone", email: "gone@example.com" },
        { customer_id: "cus_1", email: "new@example.com", attributes: { tier: "gold" } },
      ])
      const stats = await service.refreshCustomersStats(["cus_1", "cus_2", "cus_gone"])
      expect(stats.get("cus_1")).toMatchObject({ order_count: 2, total_spent: 50 })
      expect(stats.get("cus_2")).toEqual({ order_count: 0, total_spent: 0, last_order_at: null })

      const profiles = await service.listCustomerProfiles({ customer_id: ["cus_1", "cus_2", "cus_gone"] })
      expect(profiles.map((p) => p.customer_id).sort()).toEqual(["cus_1", "cus_2"])
      const cus1 = profiles.find((p) => p.customer_id === "cus_1")!
      expect(cus1.attributes).toMatchObject({ tier: "gold", stats: { order_count: 2, total_spent: 50 } })
      await service.upsertCustomerProfile({ customer_id: "cus_3", email: "new@example.com" })
      const [cus3] = await service.listCustomerProfiles({ customer_id: "cus_3" })
      expect(cus1.email_hash).toBe(cus3.email_hash)
      expect(await service.refreshCustomerStats("cus_1")).toEqual(stats.get("cus_1"))
    })

    it("waits for an ingestion already writing the customer's rows, then deletes them", async () => {
      const db = (service as unknown as { db_: Knex }).db_
      let erasure: Promise<unknown> | undefined
      await db.transaction(async (trx) => {
        await lockCustomers(trx, ["cus_1"], "shared")
        await trx("uplift_interaction").insert({ id: "uint_race", dedupe_key: "race", kind: "purchase", customer_id: "cus_1", quantity: 1, value: 1, occurred_at: new Date() })
        erasure = service.eraseCustomer("cus_1")
        await new Promise((resolve) => setTimeout(resolve, 300))
      })
      await erasure
      expect(await service.listInteractions({ customer_id: "cus_1" })).toHaveLength(0)
    })

    it("stores nothing of a customer whose erasure was in progress while the batch waited for it", async () => {
      const db = (service as unknown as { db_: Knex }).db_
      let recording: Promise<number> | undefined
      await db.transaction(async (trx) => {
        await lockCustomers(trx, ["cus_1"], "exclusive")
        await trx("uplift_erased_customer").insert({ id: "uera_race", customer_id: "cus_1" })
        recording = service.recordInteractions([purchase(), purchase({ dedupe_key: "other", customer_id: "cus_2" })])
        await new Promise((resolve) => setTimeout(resolve, 300))
      })
      expect(await recording).toBe(1)
      expect(await service.listInteractions({ customer_id: "cus_1" })).toHaveLength(0)
      expect(await service.listInteractions({ customer_id: "cus_2" })).toHaveLength(1)
    })

    it("builds the response training set from the decisions the caller carries, labelled by this module's purchases, without erased customers", async () => {
      const day = 86_400_000
      const decidedAt = new Date(Date.now() - 30 * day)
      const decision = (customer_id: string, created_at = decidedAt) => ({ customer_id, created_at: created_at.toISOString(), chosen_percent: 10, propensity: 0.5, basket_value: 30, features: null })
      await service.recordInteractions([
        purchase({ customer_id: "cus_bought", dedupe_key: "p1", order_id: "o1", occurred_at: new Date(decidedAt.getTime() + day) }),
        purchase({ customer_id: "cus_gone", dedupe_key: "p2", order_id: "o2", occurred_at: new Date(decidedAt.getTime() + day) }),
      ])
      await service.eraseCustomer("cus_gone")
      const decisions = [decision("cus_bought"), decision("cus_not"), decision("cus_gone"), decision("cus_open", new Date(Date.now() - day))]
      const task = await service.registry.trainingSet("response", "test", { decisions })
      expect(task.kind === "response" && task.examples.map((example) => [example.converted, example.discount_percent])).toEqual([[1, 10], [0, 10]])
      expect(await service.registry.trainingSet("response", "test")).toMatchObject({ examples: [] })
    })

    it("hands the active response model and the instant of its latest training decision to the next response training", async () => {
      jest.setTimeout(240_000)
      const hour = 3_600_000
      const start = Date.now() - 120 * 24 * hour
      const decisions = Array.from({ length: 600 }, (_, k) => ({
        customer_id: `cus_${k}`,
        created_at: new Date(start + k * hour).toISOString(),
        chosen_percent: k % 2 ? 10 : 0,
        propensity: 0.5,
        basket_value: 30,
        margin_percent: 30,
        features: null,
      }))
      await service.recordInteractions(
        decisions
          .filter((_, k) => k % 3 === 0 || (k % 2 === 1 && k % 5 === 0))
          .map((decision, k) => purchase({ customer_id: decision.customer_id, dedupe_key: `p${k}`, order_id: `o${k}`, occurred_at: new Date(Date.parse(decision.created_at) + 24 * hour) }))
      )
      expect(await service.registry.trainingSet("response", "first", { decisions })).toMatchObject({ champion: null })
      const first = await service.registry.trainNow("response", { decisions: decisions.slice(0, 400) })
      expect(first.status).toBe("completed")
      const task = await service.registry.trainingSet("response", "second", { decisions })
      expect(task.kind === "response" && task.champion).toBeTruthy()
      expect(task.kind === "response" && task.championTrainedTo).toBe(Date.parse(decisions[399].created_at))
    })

    it("keeps a recommender's trained customers as rows of its version: read by key, kept for a rollback, erased with the customer", async () => {
      jest.setTimeout(240_000)
      const day = 86_400_000
      const products = Array.from({ length: 8 }, (_, k) => `prod_${k}`)
      const catalog = { items: products.map((item, k) => ({ item, category: `c${k % 2}`, department: "d" })), regionPopular: {} }
      const buy = (customer: number, basket: number, product: string) =>
        purchase({
          dedupe_key: `p:${customer}:${basket}:${product}`,
          customer_id: `cus_${customer}`,
          order_id: `o_${customer}_${basket}`,
          product_id: product,
          occurred_at: new Date(Date.UTC(2026, 0, 1) + basket * 7 * day + customer * 60_000),
        })
      const baskets = (from: number, to: number) =>
        Array.from({ length: 12 }, (_, c) => Array.from({ length: to - from }, (_, b) => [0, 1].map((k) => buy(c, from + b, products[(c % 2) + 2 * ((b + k) % 4)])))).flat(2)
      const statesOf = (versionId: string) => service.registry.customerStatePage(versionId, null, 100)

      await service.recordInteractions(baskets(0, 4))
      const first = await service.registry.trainNow("recommender", { catalog })
      expect(first.outcome).toBe("active")
      const firstStates = await statesOf(first.model_version_id)
      expect(firstStates.map((row) => row.customer_id).sort()).toEqual(Array.from({ length: 12 }, (_, c) => `cus_${c}`).sort())
      // The artifact's model holds no customer: they are the rows.
      const active = await service.registry.activeModel<{ model: string; customerStates: { customers: number } }>("recommender")
      expect(JSON.parse(active!.artifact.reference.model).users).toEqual([])
      expect(active!.artifact.reference.customerStates.customers).toBe(12)

      await service.recordInteractions(baskets(4, 7))
      const second = await service.registry.trainNow("recommender", { catalog })
      const [cus1First, cus1Second] = await Promise.all([first, second].map((run) => service.registry.customerStates(run.model_version_id, ["cus_1", "cus_unknown"])))
      expect([...cus1First.keys()]).toEqual(["cus_1"])
      expect(Buffer.compare(Buffer.from(cus1First.get("cus_1")!), Buffer.from(cus1Second.get("cus_1")!))).not.toBe(0)

      // A rollback serves the older version, whose rows are still there.
      await service.registry.activate(first.model_version_id)
      expect(await service.registry.activeVersionId("recommender")).toBe(first.model_version_id)
      expect(await statesOf(first.model_version_id)).toHaveLength(12)

      await service.eraseCustomer("cus_1")
      for (const run of [first, second]) expect((await service.registry.customerStates(run.model_version_id, ["cus_1", "cus_2"])).has("cus_1")).toBe(false)
      expect((await service.registry.customerStates(first.model_version_id, ["cus_2"])).has("cus_2")).toBe(true)

      // The propensity model's customers are rows too: batch scoring reads them a page at a time.
      const propensity = await service.registry.trainNow("propensity", { catalog })
      expect(propensity.outcome).toBe("active")
      expect(JSON.parse(JSON.stringify((await service.registry.activeModel<{ users: string[] }>("propensity"))!.artifact.reference.users))).toEqual([])
      expect(await service.registry.runBatchScoring()).toMatchObject({ customers: 11 })
      const [profile] = await service.listCustomerProfiles({ customer_id: "cus_2" })
      expect((profile.attributes as { next_purchases: string[] }).next_purchases).toHaveLength(8)
      expect(await service.listCustomerProfiles({ customer_id: "cus_1" })).toHaveLength(0)
    })

    it("trains the recommender and the propensity model from one fit: a run and an active version of each, batch scoring served by it", async () => {
      jest.setTimeout(240_000)
      const products = Array.from({ length: 8 }, (_, k) => `prod_${k}`)
      const catalog = { items: products.map((item, k) => ({ item, category: `c${k % 2}`, department: "d" })), regionPopular: {} }
      const rows = Array.from({ length: 10 }, (_, c) =>
        Array.from({ length: 4 }, (_, b) =>
          [0, 1].map((k) =>
            purchase({
              dedupe_key: `one-fit:${c}:${b}:${k}`,
              customer_id: `cus_fit_${c}`,
              order_id: `o_fit_${c}_${b}`,
              product_id: products[(c % 2) + 2 * ((b + k) % 4)],
              occurred_at: new Date(Date.UTC(2026, 0, 1 + 7 * b, 0, c)),
            })
          )
        )
      ).flat(2)
      await service.recordInteractions(rows)

      const { recommender, propensity } = await service.registry.trainRecommenderAndPropensityNow({ catalog })
      expect([recommender.status, recommender.outcome, propensity.status, propensity.outcome]).toEqual(["completed", "active", "completed", "active"])
      expect(JSON.stringify(propensity.log)).toContain(recommender.id)
      const [recommenderModel, propensityModel] = await Promise.all([service.registry.activeModel<any>("recommender"), service.registry.activeModel<any>("propensity")])
      expect([recommenderModel!.id, propensityModel!.id]).toEqual([recommender.model_version_id, propensity.model_version_id])
      // The same fit: the same validation figure and the same item embeddings in both artifacts.
      expect(propensityModel!.artifact.metrics.hr_at_10).toBe(recommenderModel!.artifact.metrics.hr_at_10)
      expect(JSON.stringify(propensityModel!.artifact.reference.mf.itemFactors)).toBe(JSON.stringify(JSON.parse(recommenderModel!.artifact.reference.model).mf.itemFactors))
      const [ofRecommender, ofPropensity] = await Promise.all([recommender, propensity].map((run) => service.registry.customerStatePage(run.model_version_id, null, 100)))
      expect(ofPropensity).toHaveLength(10)
      expect(ofPropensity).toEqual(ofRecommender)
      expect(await service.registry.runBatchScoring()).toMatchObject({ customers: 10, model_version: propensityModel!.version })
    })

    it("only keeps the customer metadata keys listed in profileAttributes", async () => {
      expect(service.profileAttributes({ age: "35-44", notes: "VIP, call at home" })).toEqual({})
      ;(service.options as { profileAttributes: string[] }).profileAttributes = ["age"]
      expect(service.profileAttributes({ age: "35-44", notes: "VIP, call at home" })).toEqual({ age: "35-44" })
      ;(service.options as { profileAttributes: string[] }).profileAttributes = []
    })
  },
})
