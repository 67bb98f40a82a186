import type { MedusaResponse, MedusaStoreRequest } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { similarProducts } from "../../../../../recommendations/recommend"
import { assertId, parseQuery, present, SimilarQuery } from "../../../../../recommendations/http"

/** Products similar to this one (learned item embeddings plus category, brand and price band), sellable only. */
export async function GET(req: MedusaStoreRequest, res: MedusaResponse) {
  const input = parseQuery(SimilarQuery, req.query)
  assertId(req.params.id, "product id")
  const result = await similarProducts(req.scope, req.params.id, {
    regionId: input.region_id ?? null,
    salesChannelIds: req.publishable_key_context?.sales_channel_ids ?? [],
    limit: input.limit,
  })
  if (!result.product || !result.product.sellable) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Product with id: ${req.params.id} was not found`)
  }
  res.json({ product_id: req.params.id, similar: result.similar.map(present), model_version: result.model_version, count: result.similar.length })
}
