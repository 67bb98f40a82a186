import { featureColumns, NEVER_ORDERED_RECENCY_DAYS, offerFeatures, offerTrainingRow, PastPurchase, vectorize } from "../offer-features"

const DAY = 86_400_000
const decidedAt = Date.UTC(2026, 5, 1, 12)
const signedUpAt = decidedAt - 400 * DAY
const history: PastPurchase[] = [
  { at: decidedAt - 200 * DAY, orderId: "o1", value: 60, categories: ["Womens"] },
  { at: decidedAt - 30 * DAY, orderId: "o2", value: 30, categories: ["Mens"] },
  { at: decidedAt - 30 * DAY, orderId: "o2", value: 10, categories: ["Womens"] },
  // after the decision: the training job sees these, the live decision could not
  { at: decidedAt + DAY, orderId: "o3", value: 500, categories: ["Mens"] },
  { at: decidedAt, orderId: "o4", value: 99, categories: ["Mens"] },
]
const basket = { value: 120, items: 3 }
const attributes = { region: "reg_eu", channel: "sc_web", customer_group: null, zip_code: "Urban" }

describe("offer feature builder", () => {
  it("computes recency, frequency, spend, tenure, category affinity and attribute indicators from the past only", () => {
    const live = offerFeatures({ purchases: history.filter((purchase) => purchase.at < decidedAt), signedUpAt, basket, attributes, at: decidedAt })
    expect(live).toEqual({
      recency_days: 30,
      orders: 2,
      spend: 100,
      tenure_days: 400,
      basket_value: 120,
      items: 3,
      "cat:Womens": 0.7,
      "cat:Mens": 0.3,
      "attr:region=reg_eu": 1,
      "attr:channel=sc_web": 1,
      "attr:zip_code=Urban": 1,
    })
  })

  it("gives a first-time shopper a recency beyond any window and no tenure without sign-up", () => {
    const first = offerFeatures({ purchases: [], signedUpAt: null, basket, attributes: {}, at: decidedAt })
    expect(first).toMatchObject({ recency_days: NEVER_ORDERED_RECENCY_DAYS, orders: 0, spend: 0, tenure_days: 0 })
  })

  it("builds the same row for training (from the decision log and the full history) as the live decision saw", () => {
    // Live: what the decision read at that instant (purchases so far), logged with the decision.
    const live = offerFeatures({ purchases: history.filter((purchase) => purchase.at <= decidedAt), signedUpAt, basket, attributes, at: decidedAt })
    // Training, weeks later: the whole history, categories unknown to the job, the logged row.
    const training = offerTrainingRow({ at: decidedAt, features: live }, history.map((purchase) => ({ ...purchase, categories: [] })), signedUpAt)
    expect(training).toEqual(live)
    const columns = featureColumns([training])
    expect(vectorize(training, columns)).toEqual(vectorize(live, columns))
  })

  it("reads a column the shopper lacks as 0, in a fixed order", () => {
    const columns = featureColumns([{ recency_days: 1, "cat:Mens": 1 }, { "attr:region=reg_eu": 1 }])
    expect(columns.slice(0, 6)).toEqual(["recency_days", "orders", "spend", "tenure_days", "basket_value", "items"])
    expect(columns.slice(6)).toEqual(["attr:region=reg_eu", "cat:Mens"])
    expect(vectorize({ recency_days: 5 }, columns)).toEqual([5, 0, 0, 0, 0, 0, 0, 0])
  })
})
