import { LIVE_FRAUD_FEATURES } from "../model/features"
import { factsForSentSignals, modelFacts } from "../scoring/facts"

// No device id and no IP: the model sees "one account on this device / IP" and no same-amount checkouts.
const row = [86_400 * 30, 40, 1, 1, 0, 14, 2, 9, 1]
// The device, IP and same-value groups lower the risk most; the account age raises it.
const contributions = [0.4, 0.01, -0.6, -0.5, -0.3, 0.01, 0.01, 0.01, 0.01]

describe("model facts and the signals the storefront sent", () => {
  it("does not reassure with device or IP facts when the storefront sent neither", () => {
    const facts = factsForSentSignals(modelFacts(LIVE_FRAUD_FEATURES, row, contributions), { device: false, ip: false })
    const messages = facts.map((fact) => fact.message)
    expect(messages.some((message) => /device|IP address/.test(message))).toBe(false)
    expect(facts.map((fact) => fact.code)).toEqual(["model.account_age"])
  })

  it("keeps them when the signals were sent", () => {
    const facts = factsForSentSignals(modelFacts(LIVE_FRAUD_FEATURES, row, contributions), { device: true, ip: true })
    expect(facts.map((fact) => fact.message)).toEqual(
      expect.arrayContaining(["Only this account uses this device", "No other account uses this IP address", "No other checkout on this device has the same amount"])
    )
  })

  it("drops only the device facts when the IP was sent", () => {
    const codes = factsForSentSignals(modelFacts(LIVE_FRAUD_FEATURES, row, contributions), { device: false, ip: true }).map((fact) => fact.code)
    expect(codes).toContain("model.ip")
    expect(codes).not.toContain("model.device")
    expect(codes).not.toContain("model.same_value")
  })
})
