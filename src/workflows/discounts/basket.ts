import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
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

/** A cart line with its variant's cost (metadata `cost`, null when the merchant set none). */
export interface CostedLine {
  product_id: string | null
  variant_id: string | null
  unit_price: number
  quantity: number
  cost: number | null
}

/** The cart's lines with their costs, the basket's value and its gross margin: read once per request. */
export interface Basket {
  lines: CostedLine[]
  value: number
  marginPercent: number
}

export type CostedItem = BasketItem & { product_id?: string | null; variant?: { metadata?: Record<string, unknown> | null } | null }

/**
 * The basket as decisions and offer limits see it: each line's cost from its variant's metadata (one read
 * of the variants unless the cart came with them), else the default margin.
 */
export async function loadBasket(container: MedusaContainer, items: CostedItem[] | null | undefined): Promise<Basket> {
  const costs = await variantCosts(container, items ?? [])
  const lines = (items ?? []).map((item) => ({
    product_id: item.product_id ?? null,
    variant_id: item.variant_id ?? null,
    unit_price: toNumber(item.unit_price),
    quantity: toNumber(item.quantity),
    cost: costs.get(item.variant_id ?? "") ?? null,
  }))
  const defaultMargin = container.resolve<UpliftModuleService>(UPLIFT_MODULE).options.defaultMarginPercent
  const economics = basketEconomics(lines, defaultMargin)
  return { lines, value: economics.value, marginPercent: economics.marginPercent }
}

async function variantCosts(container: MedusaContainer, items: CostedItem[]): Promise<Map<string, number | null>> {
  const costs = new Map<string, number | null>()
  const missing = new Set<string>()
  for (const item of items) {
    if (!item.variant_id) continue
    if (item.variant?.metadata !== undefined) costs.set(item.variant_id, costOf(item.variant.metadata))
    else missing.add(item.variant_id)
  }
  if (missing.size) {
    // Read on every request, never cached: a cost the merchant just changed must hold at checkout. Straight
    // from the product module (one table, two columns): no graph to resolve.
    const variants = await container.resolve(Modules.PRODUCT).listProductVariants({ id: [...missing] }, { select: ["id", "metadata"] })
    for (const variant of variants) costs.set(variant.id, costOf(variant.metadata))
  }
  return costs
}

function costOf(metadata: Record<string, unknown> | null | undefined): number | null {
  const cost = metadata?.cost
  return cost === null || cost === undefined || !Number.isFinite(Number(cost)) ? null : Number(cost)
}

/** The basket's gross margin in percent, from each variant's metadata `cost` (else the default margin), as decisions compute it. */
export async function basketMarginPercent(container: MedusaContainer, items: BasketItem[] | null | undefined): Promise<number> {
  return (await loadBasket(container, items)).marginPercent
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
