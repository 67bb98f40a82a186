import type { ExecArgs } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import * as fs from "fs"
import { trainRecommendationModel } from "../../src/recommendations/model-store"
import type UpliftModuleService from "../../src/modules/uplift/service"
import { UPLIFT_MODULE } from "../../src/modules/uplift"
import { giveLogins, storeFacts } from "./recommendation-shoppers"

/**
 * `medusa exec` step of the scale bench (scripts/bench/scale.ts), on the scaled demo store: trains the
 * storefront recommender and the propensity model through the registry (as the training job does), runs
 * the batch scoring of every customer with the propensity model (as the nightly job does), and gives the
 * $BENCH_SHOPPERS customers with the most purchases a login. Writes the timings, this process's peak RSS
 * and what the bench needs to $BENCH_OUT.
 */
export default async function prepareScale({ container }: ExecArgs) {
  const out = process.env.BENCH_OUT
  if (!out) throw new Error("BENCH_OUT not set")
  const password = process.env.BENCH_PASSWORD ?? "bench-password"
  const log = (message: string) => console.log(`[scale-prepare] ${message}`)
  const registry = container.resolve<UpliftModuleService>(UPLIFT_MODULE).registry

  let at = Date.now()
  const modelId = await trainRecommendationModel(container)
  const trainMs = Date.now() - at
  if (!modelId) throw new Error("no recommendation model trained")
  log(`recommender ${modelId} trained in ${trainMs} ms`)
  const rssAfterRecommender = process.resourceUsage().maxRSS / 1024

  at = Date.now()
  const propensity = await registry.trainNow("propensity")
  const propensityMs = Date.now() - at
  if (propensity.outcome !== "active") throw new Error(`propensity training ended ${propensity.outcome}: ${propensity.error ?? ""}`)
  log(`propensity ${propensity.model_version_id} trained in ${propensityMs} ms`)

  at = Date.now()
  const scored = await registry.runBatchScoring()
  const batchMs = Date.now() - at
  log(`batch scoring of ${scored.customers} customers on ${scored.provider} in ${batchMs} ms`)

  const db = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const sizes: { kind: string; size_bytes: string }[] = await db("uplift_model_version").where({ status: "active" }).whereIn("kind", ["recommender", "propensity"]).select("kind", "size_bytes")
  const artifactMb = Object.fromEntries(sizes.map((row) => [row.kind, Number(row.size_bytes) / 2 ** 20]))
  // The trained customers' states: rows of each version (both models), outside the artifacts.
  const { rows: stateRows } = await db.raw(
    `select count(*)::bigint as rows, pg_total_relation_size('uplift_model_customer_state')::bigint as bytes
     from uplift_model_customer_state where model_version_id = ?`,
    [modelId]
  )
  const emails = await giveLogins(container, Number(process.env.BENCH_SHOPPERS ?? 300), password)
  const facts = await storeFacts(container)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: products } = await query.graph({ entity: "product", fields: ["variants.id"], filters: { id: facts.productIds } })
  const variantIds = (products as any[]).flatMap((p) => (p.variants ?? []).map((v: any) => v.id)).slice(0, 20)
  fs.writeFileSync(
    out,
    JSON.stringify({
      modelId,
      trainMs,
      propensityMs,
      batchMs,
      scoredCustomers: scored.customers,
      provider: scored.provider,
      rssAfterRecommenderMb: rssAfterRecommender,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      recommenderArtifactMb: artifactMb.recommender,
      propensityArtifactMb: artifactMb.propensity,
      recommenderStateRows: Number(stateRows[0].rows),
      customerStatesTableMb: Number(stateRows[0].bytes) / 2 ** 20,
      password,
      emails,
      variantIds,
      ...facts,
    })
  )
}
