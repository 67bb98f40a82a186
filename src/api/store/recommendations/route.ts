import type { MedusaResponse, MedusaStoreRequest } from "@medusajs/framework/http"
import { recommendForCustomer } from "../../../recommendations/recommend"
import { parseQuery, present, RecommendationQuery, shopperScope } from "../../../recommendations/http"

/**
 * Guests: cold-start recommendations (items like those in the guest cart, popular in the region, then
 * popular), always labelled `cold_start: true`. No session is read: logged-in shoppers use
 * /store/customers/me/recommendations.
 */
export async function GET(req: MedusaStoreRequest, res: MedusaResponse) {
  const input = parseQuery(RecommendationQuery, req.query)
  const scope = await shopperScope(req.scope, input, req.publishable_key_context?.sales_channel_ids ?? [], null)
  const result = await recommendForCustomer(req.scope, { customerId: null, ...scope, limit: input.limit })
  res.json({
    recommendations: result.recommendations.map(present),
    cold_start: true,
    model_version: result.model_version,
    count: result.recommendations.length,
  })
}
