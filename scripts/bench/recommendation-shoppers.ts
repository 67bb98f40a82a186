import type { ExecArgs, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import * as fs from "fs"
import { trainRecommendationModel } from "../../src/recommendations/model-store"

/**
 * `medusa exec` step of the recommendations bench, on a seeded demo store: trains the recommender (as the
 * store's first request would, in the background) and gives the $BENCH_SHOPPERS customers with the most
 * purchases an emailpass login with password $BENCH_PASSWORD, so that the bench logs them in through the
 * real auth route (customers who already have one keep it). Writes what the bench needs to $BENCH_OUT.
 */
export default async function prepareRecommendationShoppers({ container }: ExecArgs) {
  const out = process.env.BENCH_OUT
  if (!out) throw new Error("BENCH_OUT not set")
  const password = process.env.BENCH_PASSWORD ?? "bench-password"
  const trainStarted = Date.now()
  const modelId = await trainRecommendationModel(container)
  const trainMs = Date.now() - trainStarted
  if (!modelId) throw new Error("no recommendation model trained (is the demo store seeded?)")
  const emails = await giveLogins(container, Number(process.env.BENCH_SHOPPERS ?? 300), password)
  const { publishableKey, regionId, productIds } = await storeFacts(container)
  fs.writeFileSync(
    out,
    JSON.stringify({ modelId, trainMs, publishableKey, regionId, password, emails, productIds })
  )
}

/**
 * Gives the `count` customers with the most purchases an emailpass login with `password` (customers who
 * already have one keep it); resolves to their emails, most purchases first.
 */
export async function giveLogins(container: MedusaContainer, count: number, password: string): Promise<string[]> {
  const db = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const buyers: { id: string; email: string }[] = await db("uplift_interaction as i")
    .join("customer as c", "c.id", "i.customer_id")
    .where("i.kind", "purchase")
    .groupBy("c.id", "c.email")
    .orderByRaw("count(*) desc")
    .limit(count)
    .select("c.id", "c.email")
  const auth = container.resolve(Modules.AUTH)
  const emails: string[] = []
  for (const buyer of buyers) {
    const { authIdentity, error } = await auth.register("emailpass", { body: { email: buyer.email, password } } as any)
    if (error && /already exists/i.test(error)) {
      // A database prepared by an earlier run (BENCH_RECS_DATABASE) keeps its logins; a demo shopper's own
      // login (another password) leaves that customer out.
      const { success } = await auth.authenticate("emailpass", { body: { email: buyer.email, password } } as any)
      if (success) emails.push(buyer.email)
      continue
    }
    if (error || !authIdentity) throw new Error(`login for ${buyer.email} not created: ${error}`)
    await auth.updateAuthIdentities({ id: authIdentity.id, app_metadata: { customer_id: buyer.id } })
    emails.push(buyer.email)
  }
  return emails
}

/** The demo's publishable key (the one selling the seeded products), its US-dollar region and up to 100 product ids. */
export async function storeFacts(container: MedusaContainer): Promise<{ publishableKey: string; regionId: string; productIds: string[] }> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: sample } = await query.graph({ entity: "product", fields: ["id", "sales_channels.id"], pagination: { take: 100 } })
  const channel = (sample[0] as any).sales_channels[0].id
  const { data: keys } = await query.graph({ entity: "api_key", fields: ["token", "sales_channels.id"], filters: { type: "publishable" } })
  const publishableKey = (keys as any[]).find((key) => key.sales_channels?.some((c: any) => c.id === channel))?.token
  const { data: regions } = await query.graph({ entity: "region", fields: ["id", "currency_code"] })
  const regionId = (regions as any[]).find((region) => region.currency_code === "usd")?.id ?? (regions[0] as any).id
  return { publishableKey, regionId, productIds: (sample as any[]).map((p) => p.id) }
}
