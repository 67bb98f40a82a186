import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { basketEconomics } from "../../modules/discounts/eligibility"
import { promotionDiscountBound } from "../../modules/discounts/offer-limits"
import { UPLIFT_MODULE } from "../../modules/uplift"
import type UpliftModuleService from "../../modules/uplift/service"
import { toNumber } from "../../lib/numbers"

export type BasketItem = { variant_id?: string | null; unit_price?: unknown; quantity?: unknown }
export type BasketShippingMethod = { amount?: unknown }

export function itemSubtotal(items: BasketItem[] | null | undefined): number {
  return (items ?? []).reduce((sum, item) => sum + toNumber(item.unit_price) * toNumber(item.quantity), 0)
}

/** The basket's gross margin in percent, from each variant's metadata `cost` (else the default margin), as decisions compute it. */
export async function basketMarginPercent(container: MedusaContainer, items: BasketItem[] | null | undefined): Promise<number> {
  const lines = items ?? []
  const variantIds = [...new Set(lines.map((item) => item.variant_id).filter(Boolean) as string[])]
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: variants } = variantIds.length
    ? await query.graph({ entity: "product_variant", fields: ["id", "metadata"], filters: { id: variantIds } })
    : { data: [] as any[] }
  const costs = new Map((variants as any[]).map((variant) => [variant.id, variant.metadata?.cost ?? null]))
  const defaultMargin = container.resolve<UpliftModuleService>(UPLIFT_MODULE).options.defaultMarginPercent
  const economics = basketEconomics(
    lines.map((item) => ({ unit_price: toNumber(item.unit_price), quantity: toNumber(item.quantity), cost: costs.get(item.variant_id) ?? null })),
    defaultMargin
  )
  return economics.marginPercent
}

/** The most the given promotion codes can take off the basket, in percent of the items' subtotal. */
export async function promotionCodesPercent(
  container: MedusaContainer,
  codes: string[],
  basket: { items?: BasketItem[] | null; shipping_methods?: BasketShippingMethod[] | null }
): Promise<number> {
  const subtotal = itemSubtotal(basket.items)
  if (!codes.length || subtotal <= 0) return 0
  const promotions = await container.resolve(Modules.PROMOTION).listPromotions({ code: codes }, { relations: ["application_method"] })
  const totals = {
    itemSubtotal: subtotal,
    itemQuantity: (basket.items ?? []).reduce((sum, item) => sum + toNumber(item.quantity), 0),
    shippingSubtotal: (basket.shipping_methods ?? []).reduce((sum, method) => sum + toNumber(method.amount), 0),
  }
  const bound = promotions.reduce((sum, promotion) => sum + promotionDiscountBound(promotion.application_method as any, totals), 0)
  return (100 * bound) / subtotal
}
