import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { UPLIFT_MODULE } from ".."
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

    it("erases a customer's interactions and profile", async () => {
      await service.upsertCustomerProfile({ customer_id: "cus_1", email: "a@example.com" })
      await service.recordInteractions([purchase(), purchase({ dedupe_key: "x", customer_id: "cus_2" })])
      expect(await service.eraseCustomer("cus_1")).toEqual({ interactions: 1, profiles: 1 })
      expect(await service.listInteractions({})).toHaveLength(1)
    })
  },
})
