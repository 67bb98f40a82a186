import type { ExecArgs } from "@medusajs/framework/types"
import { createProductsWorkflow } from "@medusajs/medusa/core-flows"
import * as fs from "fs"
import { createStoreBasics } from "../../src/demo/store-setup"

/**
 * `medusa exec` seed of the cart-update benchmark: a small selling store (as the integration tests build
 * it). Writes ids the bench needs to $BENCH_SEED_OUT.
 */
export default async function seedCartUpdateBench({ container }: ExecArgs) {
  const basics = await createStoreBasics(container, { name: "Bench store", currencyCode: "usd", countryCode: "us" })
  const { result } = await createProductsWorkflow(container).run({
    input: {
      products: Array.from({ length: 2 }, (_, index) => ({
        title: `Bench product ${index + 1}`,
        status: "published" as const,
        shipping_profile_id: basics.shippingProfileId,
        options: [{ title: "Size", values: ["One"] }],
        sales_channels: [{ id: basics.salesChannelId }],
        variants: [
          {
            title: "One",
            sku: `BENCH-${index + 1}-${Date.now()}`,
            manage_inventory: false,
            options: { Size: "One" },
            prices: [{ currency_code: "usd", amount: 20 + index * 10 }],
            metadata: { cost: 10 + index * 5 },
          },
        ],
      })),
    },
  })
  const out = process.env.BENCH_SEED_OUT
  if (!out) throw new Error("BENCH_SEED_OUT not set")
  fs.writeFileSync(out, JSON.stringify({ ...basics, variantIds: result.map((product) => product.variants[0].id) }))
}
