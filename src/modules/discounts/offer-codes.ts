/**
 * Codes of the plugin's tier promotions. The storefront shows the code, so it reads as the shopper's own
 * discount (`YOUR-10-OFF`), never as a code others could type. Stores from before kept `UPLIFT-10` and
 * `UPLIFT-ITEMS-10`: those are still recognised, and renamed when their tier promotion is next ensured.
 */
import { DEFAULT_OFFER_CODE_PREFIX } from "../../lib/options"

export { DEFAULT_OFFER_CODE_PREFIX, OFFER_CODE_PREFIX_PATTERN } from "../../lib/options"
/** What the tier promotions' campaign is called: the label a merchant and a storefront can show. */
export const PERSONAL_DISCOUNT_LABEL = "Your personal discount"
export const PERSONAL_DISCOUNT_CAMPAIGN = "medusa-uplift-personal-discount"

export type OfferTarget = "order" | "items"

/**
 * The merchant's codes (plugin option `offerCodePrefix`): one per discounts module service
 * (`discounts.offerCodes`), built from its options when the module loads.
 */
export class OfferCodes {
  private readonly current: RegExp

  constructor(readonly prefix: string = DEFAULT_OFFER_CODE_PREFIX) {
    this.current = new RegExp(`^${prefix}-(\\d+(?:\\.\\d+)?)-OFF(-ITEMS)?$`)
  }

  /** `YOUR-10-OFF` (10% off the order) or `YOUR-10-OFF-ITEMS` (10% off the items picked for the shopper). */
  tierCode(percent: number, target: OfferTarget = "order"): string {
    return `${this.prefix}-${percent}-OFF${target === "items" ? "-ITEMS" : ""}`
  }

  /** The tier a plugin code serves, or null for any other code (the shopper's own, the merchant's). */
  parse(code: string | null | undefined): { percent: number; target: OfferTarget } | null {
    if (!code) return null
    const upper = code.toUpperCase()
    const current = upper.match(this.current)
    if (current) return { percent: Number(current[1]), target: current[2] ? "items" : "order" }
    const legacy = upper.match(/^UPLIFT-(ITEMS-)?(\d+(?:\.\d+)?)$/)
    if (legacy) return { percent: Number(legacy[2]), target: legacy[1] ? "items" : "order" }
    return null
  }

  /** Whether a code is a plugin code (bound: pass it as a callback, `codes.filter(offerCodes.isOfferCode)`). */
  readonly isOfferCode = (code: string | null | undefined): boolean => this.parse(code) !== null
}

/** The code the same tier had before codes read as personal (`UPLIFT-10`, `UPLIFT-ITEMS-10`). */
export function legacyTierPromotionCode(percent: number, target: OfferTarget = "order"): string {
  return `UPLIFT-${target === "items" ? "ITEMS-" : ""}${percent}`
}
