import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { DISCOUNTS_MODULE } from "../modules/discounts"
import type DiscountsModuleService from "../modules/discounts/service"
import { refreshOfferCarts } from "../workflows/discounts/refresh-carts"

/** A checkout holds its cart's lock for at most 2 minutes; a claim this old without an order was abandoned. */
const ABANDONED_CLAIM_MINUTES = 15

/**
 * Expired offers release their budget and leave every open cart of their customers that carries them;
 * claims of checkouts that never finished (a process died before its compensation) are given back.
 */
export default async function expirePersonalOffers(container: MedusaContainer) {
  const discounts = container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
  await releaseAbandonedClaims(container, discounts)
  const expired = await discounts.expireOffers()
  await refreshOfferCarts(container, expired.map((offer) => offer.customer_id))
}

async function releaseAbandonedClaims(container: MedusaContainer, discounts: DiscountsModuleService): Promise<void> {
  const claims = await discounts.claimsOlderThan(new Date(Date.now() - ABANDONED_CLAIM_MINUTES * 60_000))
  if (!claims.length) {
    return
  }
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: carts } = await query.graph({ entity: "cart", fields: ["id", "completed_at"], filters: { id: claims.map((offer) => offer.cart_id) } })
  const completed = new Set((carts as any[]).filter((cart) => cart.completed_at).map((cart) => cart.id))
  for (const offer of claims.filter((claim) => !completed.has(claim.cart_id))) {
    await discounts.releaseClaim(offer.id, offer.cart_id, offer.cart_id)
  }
}

export const config = { name: "medusa-uplift-expire-personal-offers", schedule: "*/5 * * * *" }
