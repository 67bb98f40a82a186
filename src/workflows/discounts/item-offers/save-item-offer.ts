import type { MedusaContainer } from "@medusajs/framework/types"
import { RECOMMENDATIONS_MODULE } from "../../../modules/recommendations"
import type RecommendationsModuleService from "../../../modules/recommendations/service"
import { ensureTierPromotions } from "../tier-promotions"
import type { ItemOfferPlan } from "./plan-item-offer"

/** Stores the offer's targets and makes sure the item tier promotion of its level exists. */
export async function saveItemOffer(container: MedusaContainer, offerId: string, customerId: string, percent: number, plan: ItemOfferPlan): Promise<void> {
  const recs = container.resolve<RecommendationsModuleService>(RECOMMENDATIONS_MODULE)
  await recs.saveItemTargets({ offer_id: offerId, customer_id: customerId, discount_percent: percent, product_ids: plan.product_ids, expected: plan.expected })
  await ensureTierPromotions(container, [percent], "items")
}
