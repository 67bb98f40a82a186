import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { recommendForCustomer } from "../../../../../recommendations/recommend"
import { parseQuery, present, RecommendationQuery, shopperScope } from "../../../../../recommendations/http"

/**
 * The logged-in customer's likeliest next purchases with a reason each and their personal item-offer
 * price. The customer comes from the session only (Medusa requires customer auth on /store/customers/me*).
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const input = parseQuery(RecommendationQuery, req.query)
  const customerId = req.auth_context.actor_id
  const scope = await shopperScope(req.scope, input, req.publishable_key_context?.sales_channel_ids ?? [], customerId)
  const result = await recommendForCustomer(req.scope, { customerId, ...scope, limit: input.limit })
  res.json({
    recommendations: result.recommendations.map(present),
    cold_start: result.cold_start,
    model_version: result.model_version,
    count: result.recommendations.length,
  })
}
