import type { ExecArgs } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import * as fs from "fs"
import { UPLIFT_MODULE } from "../../src/modules/uplift"
import type UpliftModuleService from "../../src/modules/uplift/service"
import type { InteractionInput } from "../../src/modules/uplift/types"

/**
 * `medusa exec` step of the scale-out bench (scripts/bench/scale-out.ts), run in server mode (it processes
 * no events): creates $BENCH_CARTS one-line carts of distinct customers for the seeded store
 * ($BENCH_REGION_ID, $BENCH_VARIANT_ID, $BENCH_PRODUCT_ID), and a purchase history for the training that
 * follows ingestion ($BENCH_BUYERS customers buying from 20 products, stored the way ingestion stores it).
 * Writes the carts' ids to $BENCH_OUT.
 */
export default async function prepareScaleOut({ container }: ExecArgs) {
  const out = process.env.BENCH_OUT
  if (!out) throw new Error("BENCH_OUT not set")
  const count = Number(process.env.BENCH_CARTS ?? 8_000)
  const buyers = Number(process.env.BENCH_BUYERS ?? 600)
  const cartModule = container.resolve(Modules.CART)
  const ids: string[] = []
  for (let start = 0; start < count; start += 1_000) {
    const carts = await cartModule.createCarts(
      Array.from({ length: Math.min(1_000, count - start) }, (_, i) => ({
        currency_code: "usd",
        region_id: process.env.BENCH_REGION_ID,
        customer_id: `scaleout_customer_${start + i}`,
        items: [{ title: "Bench item", quantity: 1 + ((start + i) % 3), unit_price: 20, variant_id: process.env.BENCH_VARIANT_ID, product_id: process.env.BENCH_PRODUCT_ID }],
      }))
    )
    ids.push(...carts.map((cart) => cart.id))
  }

  // Buyers of a few "tastes" (each buys mostly within its group of products), so the model has something to learn.
  const day = 86_400_000
  const purchases: InteractionInput[] = []
  for (let buyer = 0; buyer < buyers; buyer++) {
    const taste = buyer % 4
    for (let order = 0; order < 2 + (buyer % 5); order++) {
      const product = taste * 5 + ((buyer + order * 3) % 5)
      purchases.push({
        dedupe_key: `purchase:scaleout_order_${buyer}_${order}:line_1`,
        kind: "purchase",
        source: "seed",
        customer_id: `scaleout_buyer_${buyer}`,
        order_id: `scaleout_order_${buyer}_${order}`,
        product_id: `scaleout_product_${product}`,
        variant_id: `scaleout_variant_${product}`,
        quantity: 1,
        value: 10 + product,
        currency_code: "usd",
        occurred_at: new Date(Date.now() - (120 - order * 15 - (buyer % 10)) * day),
      })
    }
  }
  await container.resolve<UpliftModuleService>(UPLIFT_MODULE).recordInteractions(purchases)
  fs.writeFileSync(out, JSON.stringify({ cartIds: ids, purchases: purchases.length }))
}
