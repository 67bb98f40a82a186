import type { CsvTable } from "../../src/ml/data/csv"
import { columnIndex } from "../../src/ml/data/csv"
import type { OfferFeatureInput, PastPurchase } from "../../src/ml/decision/offer-features"

const DAY_MS = 86_400_000
const MONTH_DAYS = 30.44

/** A Hillstrom row as a shopper of the plugin: the history the live features would see, the logged arm and outcomes. */
export interface HillstromShopper {
  recencyMonths: number
  history: number
  mens: boolean
  womens: boolean
  newbie: boolean
  zipCode: string
  channel: string
  /** The randomized e-mail arm (segment column). */
  arm: string
  visit: 0 | 1
  conversion: 0 | 1
}

export function hillstromShoppers(table: CsvTable): HillstromShopper[] {
  const c = (name: string) => columnIndex(table, name)
  const cols = { recency: c("recency"), history: c("history"), mens: c("mens"), womens: c("womens"), zip: c("zip_code"), newbie: c("newbie"), channel: c("channel"), segment: c("segment"), visit: c("visit"), conversion: c("conversion") }
  return table.rows.map((row) => ({
    recencyMonths: Number(row[cols.recency]),
    history: Number(row[cols.history]),
    mens: row[cols.mens] === "1",
    womens: row[cols.womens] === "1",
    newbie: row[cols.newbie] === "1",
    zipCode: row[cols.zip],
    channel: row[cols.channel],
    arm: row[cols.segment],
    visit: row[cols.visit] === "1" ? 1 : 0,
    conversion: row[cols.conversion] === "1" ? 1 : 0,
  }))
}

/**
 * The past-year history seeded for a Hillstrom shopper, as of `at`: one order `recency` months before
 * worth `history`, in the categories bought (mens, womens); a shopper who is not a newbie (first purchase
 * more than 12 months ago) signed up 400 days before. zip_code and channel are customer attributes.
 */
export function hillstromFeatureInput(shopper: HillstromShopper, at: number, basketValue: number): OfferFeatureInput {
  const categories = [...(shopper.mens ? ["Mens"] : []), ...(shopper.womens ? ["Womens"] : [])]
  const purchases: PastPurchase[] = [{ at: at - shopper.recencyMonths * MONTH_DAYS * DAY_MS, orderId: "past", value: shopper.history, categories }]
  return {
    purchases,
    signedUpAt: shopper.newbie ? null : at - 400 * DAY_MS,
    basket: { value: basketValue, items: 1 },
    attributes: { zip_code: shopper.zipCode, channel: shopper.channel },
    at,
  }
}
