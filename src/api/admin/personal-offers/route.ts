import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { DISCOUNTS_MODULE } from "../../../modules/discounts"
import type DiscountsModuleService from "../../../modules/discounts/service"
import { redeemedOfferCodes } from "../../../workflows/discounts/redeemed-codes"
import { withDatabaseErrors } from "../../utils/database-unavailable"

/** Personal offers, newest first; an offer used by an order says which code it took off (`promotion_code`, else null). */
export const GET = withDatabaseErrors(async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const { limit, offset, ...filters } = req.validatedQuery as Record<string, any>
  const discounts = req.scope.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
  const [offers, count] = await discounts.listAndCountPersonalOffers(filters, { take: limit, skip: offset, order: { created_at: "DESC" } })
  const codes = await redeemedOfferCodes(req.scope, offers.map((offer) => offer.order_id as string))
  const personal_offers = offers.map((offer) => ({ ...offer, promotion_code: (offer.order_id && codes.get(offer.order_id)) || null }))
  res.json({ personal_offers, count, limit, offset })
})
