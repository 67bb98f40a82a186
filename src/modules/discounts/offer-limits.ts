/** The limits a policy puts on its offer once the basket and the other codes on the cart are known. */
export interface OfferLimitPolicy {
  ladder: number[]
  stacking: "exclusive" | "combine"
  max_total_discount_percent: number | null
  min_margin_percent: number
}

export interface BasketDiscounts {
  /** Whether the cart carries promotions besides the personal offer (the shopper's codes, the merchant's automatic ones). */
  hasOtherCodes: boolean
  /** What those promotions take off, in percent of the items' subtotal (an upper bound before they are applied). */
  otherPercent: number
  /** The basket's gross margin before any discount, in percent; null where the offer's margin was checked per item. */
  marginPercent: number | null
}

const EPSILON = 1e-9

/**
 * The level the offer may give on this basket: the highest ladder level (or the offer's own) not above the
 * offer whose total with the other codes stays under `max_total_discount_percent` (`combine`) and whose
 * margin after all discounts stays above the floor; 0 when none fits or an `exclusive` offer meets another
 * code. Tier promotions exist per ladder level, so a smaller level is a real promotion.
 */
export function fittingOfferPercent(offerPercent: number, policy: OfferLimitPolicy, basket: BasketDiscounts): number {
  if (basket.hasOtherCodes && policy.stacking === "exclusive") {
    return 0
  }
  const cap = policy.stacking === "combine" && isSet(policy.max_total_discount_percent) ? policy.max_total_discount_percent - basket.otherPercent : Infinity
  const marginRoom = basket.marginPercent === null ? Infinity : basket.marginPercent - basket.otherPercent - (policy.min_margin_percent ?? 0)
  const fitting = [...(policy.ladder ?? []), offerPercent].filter(
    (level) => level > 0 && level <= offerPercent && level <= cap + EPSILON && level <= marginRoom + EPSILON
  )
  return fitting.length ? Math.max(...fitting) : 0
}

export interface PromotionMethod {
  type?: string | null
  target_type?: string | null
  allocation?: string | null
  value?: unknown
}

export interface BasketTotals {
  itemSubtotal: number
  itemQuantity: number
  shippingSubtotal: number
}

/** The most a promotion can take off this basket, before Medusa applies it (percent or fixed, per line or across). */
export function promotionDiscountBound(method: PromotionMethod | null | undefined, basket: BasketTotals): number {
  if (!method) return 0
  const onShipping = method.target_type === "shipping_methods"
  const base = onShipping ? basket.shippingSubtotal : basket.itemSubtotal
  const value = Math.max(0, Number(method.value) || 0)
  if (method.type === "percentage") {
    return (base * Math.min(value, 100)) / 100
  }
  const units = method.allocation === "each" && !onShipping ? basket.itemQuantity : 1
  return Math.min(base, value * units)
}

function isSet(value: number | null | undefined): value is number {
  return value !== null && value !== undefined
}
