import type { MedusaContainer } from "@medusajs/framework/types"
import { DISCOUNTS_MODULE } from "../../../modules/discounts"
import type DiscountsModuleService from "../../../modules/discounts/service"
import { RECOMMENDATIONS_MODULE } from "../../../modules/recommendations"
import type RecommendationsModuleService from "../../../modules/recommendations/service"

/** The customer's usable item offer (percent and targeted products), or null: what recommendations show as "on offer". */
export async function currentItemOffer(container: MedusaContainer, customerId: string): Promise<{ offer_id: string; percent: number; product_ids: Set<string> } | null> {
  const discounts = container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
  const offer = await discounts.findUsableOffer(customerId)
  if (!offer || offer.policy?.target !== "items") return null
  const recs = container.resolve<RecommendationsModuleService>(RECOMMENDATIONS_MODULE)
  const ids = await recs.itemTargets(offer.id)
  return ids?.length ? { offer_id: offer.id, percent: Number(offer.discount_percent), product_ids: new Set(ids) } : null
}
