import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import {
  legacyTierPromotionCode,
  OfferTarget,
  PERSONAL_DISCOUNT_CAMPAIGN,
  PERSONAL_DISCOUNT_LABEL,
} from "../../modules/discounts/offer-codes"
import { offerCodesOf } from "./offer-codes"

/** The promotion-rule attribute that order tier promotions match on. */
export const OFFER_CONTEXT_ATTRIBUTE = "uplift_offer"
/** The promotion-context attribute (on the context and on each targeted line) that item tier promotions match. */
export const ITEM_OFFER_ATTRIBUTE = "uplift_item_offer"

/**
 * The one place tier promotions are made (when a policy is saved, for its ladder): one automatic promotion
 * per level and target (`YOUR-10-OFF`, `YOUR-10-OFF-ITEMS`), in the "Your personal discount" campaign,
 * which applies only when the promotion context carries the level: a handful serve every shopper. A tier a store made before codes
 * read as personal (`UPLIFT-10`) is renamed rather than doubled. Returns the levels created or renamed.
 */
export async function ensureTierPromotions(container: MedusaContainer, levels: number[], target: OfferTarget = "order"): Promise<number[]> {
  const wanted = [...new Set(levels)].filter((level) => level > 0)
  if (!wanted.length) return []
  const promotions = container.resolve(Modules.PROMOTION)
  const offerCodes = offerCodesOf(container)
  const codes = wanted.flatMap((level) => [offerCodes.tierCode(level, target), legacyTierPromotionCode(level, target)])
  const existing = await promotions.listPromotions({ code: codes }, { select: ["id", "code"] })
  const byCode = new Map(existing.map((promotion) => [promotion.code, promotion.id]))
  const changed: number[] = []
  for (const level of wanted) {
    if (!byCode.has(offerCodes.tierCode(level, target))) {
      await makeTier(container, level, target, byCode.get(legacyTierPromotionCode(level, target)))
      changed.push(level)
    }
  }
  return changed
}

async function makeTier(container: MedusaContainer, level: number, target: OfferTarget, legacyId: string | undefined): Promise<void> {
  const promotions = container.resolve(Modules.PROMOTION)
  const code = offerCodesOf(container).tierCode(level, target)
  const campaignId = await personalDiscountCampaignId(container)
  try {
    if (legacyId) {
      await promotions.updatePromotions([{ id: legacyId, code, campaign_id: campaignId }])
    } else {
      await promotions.createPromotions([{ ...tierPromotion(level, target), code, campaign_id: campaignId }])
    }
  } catch (error) {
    // Another process made it first (codes are unique).
    const [again] = await promotions.listPromotions({ code: [code] }, { select: ["id"] })
    if (!again) throw error
  }
}

function tierPromotion(level: number, target: OfferTarget) {
  const value = String(level)
  const base = { type: "standard" as const, status: "active" as const, is_automatic: true }
  if (target === "order") {
    return {
      ...base,
      application_method: { type: "percentage" as const, target_type: "order" as const, allocation: "across" as const, value: level },
      rules: [{ attribute: OFFER_CONTEXT_ATTRIBUTE, operator: "eq" as const, values: [value] }],
    }
  }
  return {
    ...base,
    application_method: {
      type: "percentage" as const,
      target_type: "items" as const,
      allocation: "each" as const,
      value: level,
      // Required with allocation "each"; the offer covers every unit of a targeted line.
      max_quantity: 1_000_000,
      target_rules: [{ attribute: `items.${ITEM_OFFER_ATTRIBUTE}`, operator: "eq" as const, values: [value] }],
    },
    rules: [{ attribute: ITEM_OFFER_ATTRIBUTE, operator: "eq" as const, values: [value] }],
  }
}

/** The campaign every tier promotion belongs to: what admin and storefront show as its label. */
async function personalDiscountCampaignId(container: MedusaContainer): Promise<string> {
  const promotions = container.resolve(Modules.PROMOTION)
  const find = async () => (await promotions.listCampaigns({ campaign_identifier: [PERSONAL_DISCOUNT_CAMPAIGN] }, { select: ["id"] }))[0]?.id
  const existing = await find()
  if (existing) return existing
  try {
    const [created] = await promotions.createCampaigns([{ name: PERSONAL_DISCOUNT_LABEL, campaign_identifier: PERSONAL_DISCOUNT_CAMPAIGN }])
    return created.id
  } catch (error) {
    const again = await find()
    if (!again) throw error
    return again
  }
}
