/**
 * @jest-environment ./src/ml/testing/node-realm-environment.js
 */
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { adminHeaders, customerHeaders } from "../helpers/auth"
import { checkout, createCart, createTestStore, eventually, TestStore } from "../helpers/store"
import { UPLIFT_MODULE } from "../../src/modules/uplift"
import { DISCOUNTS_MODULE } from "../../src/modules/discounts"
import { CronExpressionParser } from "cron-parser"
import { fireModelSchedules } from "../../src/jobs/model-lifecycle"
import { RESPONSE_LEARNERS } from "../../src/ml/training/response"

jest.setTimeout(240_000)

// The runner reads medusa-config before applying its `env` option, so the Redis setup is set here.
process.env.REDIS_URL = process.env.UPLIFT_TEST_REDIS_URL ?? "redis://127.0.0.1:6379/9"
process.env.UPLIFT_QUEUE_PREFIX = `{uplift-loop-${process.pid}}`

const DAY = 86_400_000

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: TestStore
    let admin: { headers: Record<string, string> }
    afterAll(() => {
      delete process.env.REDIS_URL
      delete process.env.UPLIFT_QUEUE_PREFIX
    })

    beforeEach(async () => {
      store = await createTestStore(getContainer())
      admin = await adminHeaders(api, getContainer())
    })

    const train = async (model: string) => {
      const { data, status } = await api.post("/admin/ml/training-runs", { model }, admin)
      expect(status).toBe(202)
      return eventually(
        async () => (await api.get(`/admin/ml/training-runs/${data.training_run.id}`, admin)).data.training_run,
        (run: any) => run.status === "completed" || (run.status === "failed" && run.attempts >= 3),
        90_000
      )
    }
    const models = async (kind: string) => (await api.get(`/admin/ml/models?kind=${kind}`, admin)).data.models

    /** Decisions a month old: shoppers offered 10% bought within the week, the others mostly did not. */
    /** Logged decisions with outcomes, `daysAgo` old; `reversed`: 10% off never sells and no discount always does. */
    async function seedDecisionHistory(count: number, { prefix = "hist", daysAgo = 40, reversed = false } = {}) {
      const pg = getContainer().resolve<any>("__pg_connection__")
      const discounts = getContainer().resolve<any>(DISCOUNTS_MODULE)
      const uplift = getContainer().resolve<any>(UPLIFT_MODULE)
      const purchases: any[] = []
      for (let i = 0; i < count; i++) {
        const percent = i % 2 ? 10 : 0
        const at = new Date(Date.now() - daysAgo * DAY + i * 3_600_000)
        const decision = await discounts.createOfferDecisions({
          policy_id: "udpol_history", customer_id: `${prefix}_${i}`, group: "explore", chosen_percent: percent, propensity: 0.5,
          model_version: "prior-v1", basket_value: 20 + (i % 7), features: { orders: i % 3, basket_value: 20 + (i % 7), items: 1 },
        })
        await pg.raw("update uplift_offer_decision set created_at = ? where id = ?", [at, decision.id])
        if (reversed ? percent === 0 : percent === 10 ? i % 5 !== 0 : i % 6 === 0) {
          purchases.push({ dedupe_key: `${prefix}:${i}`, kind: "purchase", customer_id: `${prefix}_${i}`, order_id: `${prefix}_ord_${i}`, product_id: "prod_x", quantity: 1, value: 20, occurred_at: new Date(at.getTime() + DAY) })
        }
      }
      await uplift.recordInteractions(purchases)
    }

    it("trains a propensity model from the interaction history through the API and registers it", async () => {
      const uplift = getContainer().resolve<any>(UPLIFT_MODULE)
      const rows: any[] = []
      for (let c = 0; c < 30; c++) {
        for (let b = 0; b < 4; b++) {
          for (const product of [`prod_${c % 5}`, `prod_${(c + b) % 8}`]) {
            rows.push({ dedupe_key: `seed:${c}:${b}:${product}`, kind: "purchase", source: "seed", customer_id: `cus_${c}`, order_id: `o_${c}_${b}`, product_id: product, quantity: 1, value: 5, occurred_at: new Date(Date.now() - (10 - b) * DAY) })
          }
        }
      }
      await uplift.recordInteractions(rows)
      const run = await train("propensity")
      expect(run).toMatchObject({ status: "completed", outcome: "active", percent: 100 })
      expect(run.log.join("\n")).toMatch(/validation HR@10/)
      const [version] = await models("propensity")
      expect(version).toMatchObject({ status: "active", version: "propensity-v1", execution_provider: "cpu", selection_metric: "hr_at_10" })
      expect(version.metrics.hr_at_10).toBeGreaterThan(0)
      expect(version.size_bytes).toBeGreaterThan(1000)
      expect(new Date(version.data_from).getTime()).toBeLessThan(new Date(version.data_to).getTime())
      expect(version.artifact).toBeUndefined()

      const scored = await uplift.registry.runBatchScoring()
      expect(scored).toMatchObject({ customers: 30, provider: "cpu", model_version: "propensity-v1" })
      const [profile] = await uplift.listCustomerProfiles({ customer_id: "cus_3" })
      expect(profile.attributes.next_purchases).toHaveLength(8)
      expect(profile.attributes.propensity_version).toBe("propensity-v1")

      const bad = await api.post("/admin/ml/training-runs", { model: "bogus" }, admin).catch((error: any) => error.response)
      expect(bad.status).toBe(400)
      expect(bad.data.message).toMatch(/model/)
    })

    it("activates response models by champion/challenger, switches decisions on activate and rollback, and survives a crash", async () => {
      // A young store: the run ends waiting for data, in words, and is not a failure.
      const waiting = await train("response")
      expect(waiting).toMatchObject({ status: "completed", outcome: "waiting_for_data" })
      expect(waiting.error).toMatch(/waiting for data: the response model learns from offer decisions whose outcome is known/)
      expect(await models("response")).toHaveLength(0)

      // A real fault (the decision log unreadable) fails the run and the job, which can be retried.
      const pg = getContainer().resolve<any>("__pg_connection__")
      await pg.raw("alter table uplift_offer_decision rename to uplift_offer_decision_away")
      const crashed = await train("response").finally(() => pg.raw("alter table uplift_offer_decision_away rename to uplift_offer_decision"))
      expect(crashed).toMatchObject({ status: "failed" })
      expect(crashed.error).toMatch(/uplift_offer_decision/)
      const { data: queues } = await api.get("/admin/ml/queues", admin)
      const training = queues.queues.find((queue: any) => queue.name === "uplift-training")
      expect(training.mode).toBe("bullmq")
      expect(training.failed[0].failed_reason).toMatch(/uplift_offer_decision/)
      const retry = await api.post(`/admin/ml/queues/uplift-training/jobs/${encodeURIComponent(training.failed[0].id)}/retry`, {}, admin)
      expect(retry.data.retried).toBe(true)

      await seedDecisionHistory(60)
      const first = await train("response")
      expect(first).toMatchObject({ status: "completed", outcome: "active" })

      // Older decisions that say the opposite: the challenger that learns from them does worse than the champion
      // on the same (latest) decisions, and is rejected.
      await seedDecisionHistory(60, { prefix: "old", daysAgo: 100, reversed: true })
      const second = await train("response")
      expect(second).toMatchObject({ status: "completed", outcome: "rejected" })
      const [rejected, champion] = await models("response")
      expect(rejected).toMatchObject({ version: "response-v2", status: "rejected" })
      expect(rejected.note).toMatch(/worse than the active version.s [0-9.]+ on the same rows/)
      expect(champion).toMatchObject({ version: "response-v1", status: "active" })
      // Each version names the uplift learner it serves.
      for (const version of [rejected, champion]) expect(RESPONSE_LEARNERS.map((learner) => learner.name)).toContain(version.learner)

      const uplift = getContainer().resolve<any>(UPLIFT_MODULE)
      expect(await uplift.registry.runTraining({ run_id: second.id, model: "response" })).toBe("skipped")
      expect(await models("response")).toHaveLength(2)

      await api.post("/admin/discount-policies", { name: "Loop", status: "active", rounds: ["first_order"], ladder: [10], max_discount_percent: 10, holdout_percent: 0, exploration_percent: 0 }, admin)
      const discounts = getContainer().resolve<any>(DISCOUNTS_MODULE)
      const decideFor = async (email: string) => {
        const shopper = await customerHeaders(api, store.publishableKey, email)
        await createCart(api, store, shopper.headers, [{ variant_id: store.variantIds[0], quantity: 1 }])
        const [decision] = await eventually(() => discounts.listOfferDecisions({ customer_id: shopper.customerId }), (rows: any[]) => rows.length === 1)
        return decision
      }
      expect((await decideFor("loop-1@uplift.test")).model_version).toBe("response-v1")
      await api.post(`/admin/ml/models/${rejected.id}/activate`, {}, admin)
      await new Promise((resolve) => setTimeout(resolve, 2_100))
      expect((await decideFor("loop-2@uplift.test")).model_version).toBe("response-v2")
      await api.post(`/admin/ml/models/${champion.id}/activate`, {}, admin)
      await new Promise((resolve) => setTimeout(resolve, 2_100))
      expect((await decideFor("loop-3@uplift.test")).model_version).toBe("response-v1")

      // A corrupted artifact is never served: activation is refused and the model in use keeps deciding.
      await pg.raw("update uplift_model_version set artifact = left(artifact, 200) where id = ?", [rejected.id])
      const refused = await api.post(`/admin/ml/models/${rejected.id}/activate`, {}, admin).catch((error: any) => error.response)
      expect(refused.status).toBe(400)
      expect(refused.data.message).toMatch(/failed validation/)
      await pg.raw("update uplift_model_version set artifact = 'garbage' where id = ?", [champion.id])
      await new Promise((resolve) => setTimeout(resolve, 2_100))
      expect((await decideFor("loop-4@uplift.test")).model_version).toBe("response-v1")
    })

    it("retrains the fraud model from the store's labels", async () => {
      const pg = getContainer().resolve<any>("__pg_connection__")
      for (let i = 0; i < 60; i++) {
        const fraud = i % 4 === 0
        const features = { seconds_to_purchase: fraud ? 5 + i : 86_400 * (1 + i), purchase_value: 20 + (i % 9), accounts_on_device: fraud ? 3 : 1, accounts_on_ip: 1, same_value_on_device: 0, signups_on_device: fraud ? 2 : 0, purchase_hour: i % 24, purchase_weekday: i % 7, signup_hour: 3, signup_weekday: 2 }
        await pg("uplift_fraud_label").insert({ id: `flbl_${i}`, order_id: `order_${i}`, label: fraud ? "fraud" : "legit", source: "manual", features: JSON.stringify(features), created_at: new Date(Date.now() - (60 - i) * 3_600_000) })
      }
      const run = await train("fraud")
      expect(run).toMatchObject({ status: "completed", outcome: "active" })
      const [version] = await models("fraud")
      expect(version).toMatchObject({ status: "active", selection_metric: "roc_auc" })
      expect(version.metrics.roc_auc).toBeGreaterThan(0.9)
      const uplift = getContainer().resolve<any>(UPLIFT_MODULE)
      expect((await uplift.registry.activeArtifact("fraud")).id).toBe(version.id)

      // The next checkout is scored by the retrained model.
      const shopper = await customerHeaders(api, store.publishableKey, "retrained@uplift.test")
      const cartId = await createCart(api, store, shopper.headers, [{ variant_id: store.variantIds[0], quantity: 1 }])
      const { order } = await checkout(api, store, cartId, shopper.headers, "retrained@uplift.test")
      // The assessment is linked to the order by the order.placed subscriber, asynchronously.
      const assessments = await eventually(
        async () => (await api.get(`/admin/fraud/assessments?order_id=${order.id}`, admin)).data.assessments,
        (rows: any[]) => rows.length === 1
      )
      expect(assessments[0].model_version).toBe("fraud-v1")
    })

    it("queues each scheduled training once per tick however many processes fire the schedule, with no second scheduler, and fits the recommender and propensity models once", async () => {
      const container = getContainer()
      const uplift = container.resolve<any>(UPLIFT_MODULE)
      // Purchases of the store's products, so that the night's recommender and propensity runs have a model to fit.
      const p = store.productIds
      await uplift.recordInteractions(
        Array.from({ length: 30 }, (_, c) =>
          [0, 1, 2, 3].flatMap((b) =>
            [p[c % p.length], p[(c + b + 1) % p.length]].map((product) => ({
              dedupe_key: `night:${c}:${b}:${product}`, kind: "purchase", source: "seed", customer_id: `cus_night_${c}`, order_id: `o_night_${c}_${b}`,
              product_id: product, quantity: 1, value: 5, occurred_at: new Date(Date.now() - (10 - b) * DAY),
            }))
          )
        ).flat()
      )
      // Half a minute after the latest tick of the training schedule (`trainingCron`, 03:00 by default).
      const tick = CronExpressionParser.parse(uplift.options.trainingCron).prev().toDate()
      const now = new Date(tick.getTime() + 30_000)
      const fired = await Promise.all([fireModelSchedules(container, now), fireModelSchedules(container, now)])
      expect(fired.flatMap((f) => f.training).sort()).toEqual(["propensity", "recommender", "response"])
      expect(await fireModelSchedules(container, now)).toMatchObject({ training: [] })
      const { data } = await api.get("/admin/ml/training-runs", admin)
      const scheduled = data.training_runs.filter((run: any) => run.trigger === "schedule")
      expect(scheduled.map((run: any) => run.model).sort()).toEqual(["propensity", "recommender", "response"])
      // Ten minutes on, the tick has passed: nothing more is queued.
      expect(await fireModelSchedules(container, new Date(tick.getTime() + 10 * 60_000))).toMatchObject({ training: [] })
      // One training job fits the recommender and the propensity model: each run is completed with its own version.
      const byModel = Object.fromEntries(scheduled.map((run: any) => [run.model, run]))
      // This tick's jobs (earlier tests of this file left theirs in the queue): none has the propensity run as its own.
      const tickRuns = new Set(scheduled.map((run: any) => run.id))
      const jobs = (await uplift.trainingQueue.bullQueue.getJobs(["waiting", "active", "delayed", "prioritized", "completed", "failed"])).filter(
        (job: any) => job.name === "train" && tickRuns.has(job.data.run_id)
      )
      expect(jobs.map((job: any) => job.data.model).sort()).toEqual(["recommender", "response"])
      expect(jobs.find((job: any) => job.data.model === "recommender").data.propensity_run_id).toBe(byModel.propensity.id)
      const finished = async (id: string) =>
        eventually(async () => (await api.get(`/admin/ml/training-runs/${id}`, admin)).data.training_run, (run: any) => run.status === "completed" || run.status === "failed", 120_000)
      const [recommender, propensity] = [await finished(byModel.recommender.id), await finished(byModel.propensity.id)]
      expect([recommender, propensity]).toEqual([expect.objectContaining({ status: "completed", outcome: "active" }), expect.objectContaining({ status: "completed", outcome: "active" })])
      expect(propensity.log.join("\n")).toContain(`fitted once with the recommender (run ${recommender.id}`)
      expect((await models("propensity"))[0]).toMatchObject({ status: "active" })
      expect((await models("recommender"))[0]).toMatchObject({ status: "active" })
      // The BullMQ job schedulers of earlier versions are removed at start: Medusa's scheduled job is the only scheduler.
      expect(await uplift.trainingQueue.bullQueue.getJobSchedulers()).toEqual([])
    })
  },
})
