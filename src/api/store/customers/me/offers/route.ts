import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { DISCOUNTS_MODULE } from "../../../../../modules/discounts"
import type DiscountsModuleService from "../../../../../modules/discounts/service"

/** The logged-in customer's current offers; the customer id comes from the session, never the request. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const customerId = req.auth_context.actor_id
  const discounts = req.scope.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
  const offers = await discounts.listPersonalOffers(
    { customer_id: customerId, status: "active", expires_at: { $gt: new Date() } },
    { order: { created_at: "DESC" }, take: 20 }
  )
  res.json({
    offers: offers.map((offer) => ({
      id: offer.id,
      discount_percent: offer.discount_percent,
      expires_at: offer.expires_at,
      reason: shopperReason(offer.discount_percent),
    })),
  })
}

/** Shoppers see a friendly sentence, not the model's internals. */
function shopperReason(percent: number): string {
  return `A personal ${percent}% discount, applied to your cart automatically.`
}
