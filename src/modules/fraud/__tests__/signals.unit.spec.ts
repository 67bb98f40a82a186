import { addressKey, cleanDeviceId, emailDomain, normalizeEmail, normalizeIp } from "../signals/identity"
import { signalValues } from "../signals/build"
import { signalFacts } from "../signals/facts"
import { liveFeatureRow, LIVE_FRAUD_FEATURES } from "../model/features"
import { modelFacts } from "../scoring/facts"

describe("fraud signals", () => {
  it("normalizes identities", () => {
    expect(normalizeEmail("Ann.Smith+shop@GoogleMail.com")).toBe("annsmith@gmail.com")
    expect(normalizeEmail("ann.smith+x@outlook.com")).toBe("ann.smith@outlook.com")
    expect(normalizeEmail("a.b+c@example.com")).toBe("a.b+c@example.com")
    expect(emailDomain("x@Shop.Test")).toBe("shop.test")
    expect(addressKey({ address_1: "1 Main St.", postal_code: "45202", country_code: "US" })).toBe(addressKey({ address_1: "1  main st", postal_code: "45202", country_code: "us" }))
    expect(addressKey({ address_1: "" })).toBeNull()
    expect(normalizeIp("::ffff:10.0.0.1")).toBe("10.0.0.1")
    expect(cleanDeviceId("dev 1")).toBeNull()
    expect(cleanDeviceId("x".repeat(201))).toBeNull()
    expect(cleanDeviceId(" abc-123 ")).toBe("abc-123")
  })

  it("derives rule values and facts from a cart", () => {
    const now = new Date("2026-01-01T12:00:00Z")
    const values = signalValues({
      cart: {
        id: "cart",
        email: "a@b.com",
        total: { numeric: 90 },
        currency_code: "USD",
        customer: { id: "cus", created_at: new Date(now.getTime() - 2 * 3_600_000), has_account: true },
        items: [{ quantity: 2 }, { quantity: 1 }],
        shipping_address: { country_code: "US", address_1: "x" },
        billing_address: { country_code: "de" },
        promotions: [{ id: "promo" }],
      },
      keys: { cart_id: "cart", customer_id: "cus", email_hash: "eh", email_norm_hash: "en", ip_hash: "ih", device_hash: null, address_hash: "ah" },
      now,
      orderCount: 0,
      averageOrderValue: 30,
      linked: { accounts_per_device: 1, accounts_per_ip: 3, accounts_per_address: 2, accounts_per_normalized_email: 1, same_value_on_device: 0 },
      linkedRedeemed: true,
      velocity: { "customer.orders_last_24h": 0 },
      score: 42,
    })
    expect(values).toMatchObject({
      "order.total": 90,
      "order.item_count": 3,
      "order.value_vs_customer_average": 3,
      "customer.account_age_hours": 2,
      billing_country_mismatch: true,
      has_device_id: false,
      linked_account_redeemed_first_order: true,
      "risk.score": 42,
    })
    const codes = signalFacts(values).map((f) => `${f.code}:${f.sentiment}`)
    expect(codes).toEqual(expect.arrayContaining(["billing_country_mismatch:negative", "shared_address:negative", "linked_account_redeemed_first_order:negative", "unusual_value:negative"]))
  })

  it("builds the model row and words its strongest contributions", () => {
    const now = new Date("2026-01-05T10:00:00Z")
    const row = liveFeatureRow({ signupAt: new Date(now.getTime() - 30_000), purchaseAt: now, purchaseValue: 40, accountsOnDevice: 3, accountsOnIp: 0, sameValueOnDevice: 1, signupsOnDevice: 4, signupSource: "direct" })
    expect(row).toEqual([30, 40, 3, 1, 1, 4, 10, 1, 9, 1, 1])
    const facts = modelFacts(LIVE_FRAUD_FEATURES, row, [1.2, -0.4, 0.8, 0, 0, 0.5, 0.01, 0, 0, 0, 0.02])
    expect(facts[0]).toMatchObject({ code: "model.account_age", sentiment: "negative", message: expect.stringMatching(/30 seconds before/) })
    expect(facts.map((f) => f.code)).toEqual(["model.account_age", "model.device", "model.device_signups", "model.value"])
    expect(facts[2]).toMatchObject({ sentiment: "negative", message: "4 other accounts signed up on this device before this purchase" })
    expect(facts[3].sentiment).toBe("positive")
  })
})
