import { capturesAtAuthorization } from "../capture-at-authorization"

const cart = (...sessions: { provider_id: string; status?: string; data?: Record<string, unknown> }[]) => ({ payment_collection: { payment_sessions: sessions } })

describe("capturesAtAuthorization", () => {
  it("is true for a pending session of a provider the merchant lists, or one whose data asks for automatic capture", () => {
    expect(capturesAtAuthorization(cart({ provider_id: "pp_stripe_stripe", status: "pending" }), ["pp_stripe_stripe"])).toBe(true)
    expect(capturesAtAuthorization(cart({ provider_id: "pp_stripe_stripe", status: "pending", data: { capture_method: "automatic" } }), [])).toBe(true)
  })

  it("is false for manual capture, for sessions already settled and for carts without a payment collection", () => {
    expect(capturesAtAuthorization(cart({ provider_id: "pp_stripe_stripe", status: "pending", data: { capture_method: "manual" } }), [])).toBe(false)
    expect(capturesAtAuthorization(cart({ provider_id: "pp_stripe_stripe", status: "canceled" }), ["pp_stripe_stripe"])).toBe(false)
    expect(capturesAtAuthorization({}, ["pp_stripe_stripe"])).toBe(false)
  })
})
