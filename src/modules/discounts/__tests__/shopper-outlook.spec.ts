import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { DISCOUNTS_MODULE } from ".."
import DiscountsModuleService from "../service"

jest.setTimeout(60_000)

moduleIntegrationTestRunner<DiscountsModuleService>({
  moduleName: DISCOUNTS_MODULE,
  resolve: "./src/modules/discounts",
  moduleOptions: {},
  testSuite: ({ service }) => {
    it("remembers what the last offer lookup found per shopper, and forgets it on a policy write and on erasure", async () => {
      service.rememberShopperOutlook("cus_1", "settled")
      service.rememberShopperOutlook("cus_2", "offer")
      expect([service.shopperOutlook("cus_1"), service.shopperOutlook("cus_2"), service.shopperOutlook("cus_3")]).toEqual(["settled", "offer", undefined])

      // A new policy has decided for nobody: every shopper may need a draw again.
      await service.createDiscountPolicies({ name: "Welcome", status: "active", rounds: ["first_order"] as any, ladder: [10] as any, max_discount_percent: 10 })
      expect([service.shopperOutlook("cus_1"), service.shopperOutlook("cus_2")]).toEqual([undefined, undefined])

      service.rememberShopperOutlook("cus_1", "offer")
      await service.eraseCustomer("cus_1")
      expect(service.shopperOutlook("cus_1")).toBeUndefined()
      service.rememberShopperOutlook("cus_2", "settled")
      service.rememberShopperOutlook("cus_2", undefined)
      expect(service.shopperOutlook("cus_2")).toBeUndefined()
    })
  },
})
