import { decide, DEFAULT_THRESHOLDS, RuleLike, conditionHolds } from "../rules/evaluate"
import { CreateFraudRuleSchema } from "../rules/validators"
import { RULE_FIELDS } from "../rules/fields"
import { IDENTITY_HISTORY_CAP } from "../../../ml/fraud/features"

const hash = (v: string) => `h(${v.toLowerCase()})`
const rule = (over: Partial<RuleLike>): RuleLike => ({ id: "r", name: "r", enabled: true, priority: 0, action: "block", conditions: [], ...over })

describe("fraud rule evaluation", () => {
  const signals = { "order.total": 120, email_domain: "x.com", ip: hash("1.2.3.4"), device_id: null, billing_country_mismatch: true, "risk.score": 50 }

  it("compares with every operator; missing values never match", () => {
    const c = (field: string, operator: any, value: unknown) => conditionHolds({ field, operator, value }, signals, hash)
    expect([c("order.total", "gt", 100), c("order.total", "gte", 120), c("order.total", "lt", 120), c("order.total", "lte", 120)]).toEqual([true, true, false, true])
    expect([c("order.total", "eq", 120), c("order.total", "ne", 120), c("order.total", "in", [1, 120]), c("order.total", "nin", [1, 120])]).toEqual([true, false, true, false])
    expect(c("email_domain", "eq", "X.COM")).toBe(true)
    expect(c("ip", "in", ["9.9.9.9", "1.2.3.4"])).toBe(true)
    expect(c("device_id", "ne", "abc")).toBe(false)
    expect(c("billing_country_mismatch", "eq", true)).toBe(true)
  })

  it("applies allow, then block, then hold, then the score thresholds", () => {
    const matchAll = [{ field: "order.total", operator: "gt" as const, value: 0 }]
    const block = rule({ id: "b", action: "block", conditions: matchAll })
    const hold = rule({ id: "h", action: "hold", conditions: matchAll, priority: 100 })
    const allow = rule({ id: "a", action: "allow", conditions: matchAll, priority: -5 })
    expect(decide([hold, block, allow], signals, 99, DEFAULT_THRESHOLDS, hash)).toMatchObject({ decision: "allow", rule: { id: "a" } })
    expect(decide([hold, block], signals, 99, DEFAULT_THRESHOLDS, hash)).toMatchObject({ decision: "block", rule: { id: "b" } })
    expect(decide([hold], signals, 10, DEFAULT_THRESHOLDS, hash)).toMatchObject({ decision: "hold", rule: { id: "h" } })
    expect(decide([{ ...block, enabled: false }], signals, 85, DEFAULT_THRESHOLDS, hash)).toMatchObject({ decision: "hold", rule: null })
    expect(decide([], signals, 100, DEFAULT_THRESHOLDS, hash).decision).toBe("hold")
    expect(decide([], signals, 79, DEFAULT_THRESHOLDS, hash).decision).toBe("allow")
    expect(decide([], signals, 95, { hold_score: 80, block_score: 90 }, hash).decision).toBe("block")
    expect(decide([], signals, null, DEFAULT_THRESHOLDS, hash).decision).toBe("allow")
  })

  it("validates rules and names the field at fault", () => {
    const parse = (conditions: unknown[]) => CreateFraudRuleSchema.safeParse({ name: "n", action: "hold", conditions })
    const message = (conditions: unknown[]) => {
      const r = parse(conditions)
      return r.success ? "" : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")
    }
    expect(message([{ field: "nope", operator: "eq", value: 1 }])).toMatch(/conditions\.0\.field: unknown field "nope"/)
    expect(message([{ field: "email", operator: "lt", value: "a" }])).toMatch(/conditions\.0\.operator/)
    expect(message([{ field: "customer.order_count", operator: "eq", value: "3" }])).toMatch(/conditions\.0\.value/)
    expect(message([{ field: "linked_account_redeemed_first_order", operator: "eq", value: true }])).toBe("")
    // Counts over an identity's latest checkouts stop at the cap: a condition past it is refused, at it accepted.
    expect(message([{ field: "device.failed_payments_last_1h", operator: "gte", value: IDENTITY_HISTORY_CAP + 1 }])).toMatch(/conditions\.0\.value: .*counts up to 500/)
    expect(message([{ field: "accounts_per_ip", operator: "in", value: [2, IDENTITY_HISTORY_CAP + 2] }])).toMatch(/conditions\.0\.value/)
    expect(message([{ field: "ip.carts_last_24h", operator: "gte", value: IDENTITY_HISTORY_CAP }, { field: "accounts_per_ip", operator: "gte", value: IDENTITY_HISTORY_CAP + 1 }])).toBe("")
    for (const field of ["order.total", "order.item_count", "customer.account_age_hours", "customer.order_count", "customer.orders_last_24h", "email", "email_domain", "ip", "device_id", "shipping_address.country_code", "billing_country_mismatch", "accounts_per_device", "accounts_per_address", "linked_account_redeemed_first_order", "risk.score"])
      expect(RULE_FIELDS[field]).toBeDefined()
  })
})
