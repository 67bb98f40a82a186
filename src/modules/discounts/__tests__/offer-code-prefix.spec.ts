import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { DISCOUNTS_MODULE } from ".."
import DiscountsModuleService from "../service"

jest.setTimeout(60_000)

moduleIntegrationTestRunner<DiscountsModuleService>({
  moduleName: DISCOUNTS_MODULE,
  resolve: "./src/modules/discounts",
  moduleOptions: { offerCodePrefix: "MY" },
  testSuite: ({ service }) => {
    it("makes and recognises codes with the merchant's prefix from the plugin options (held by the service, not a file)", () => {
      expect(service.offerCodes.tierCode(10)).toBe("MY-10-OFF")
      expect(service.offerCodes.tierCode(5, "items")).toBe("MY-5-OFF-ITEMS")
      expect(["MY-10-OFF", "YOUR-10-OFF", "UPLIFT-10"].filter(service.offerCodes.isOfferCode)).toEqual(["MY-10-OFF", "UPLIFT-10"])
    })
  },
})
