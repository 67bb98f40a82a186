/**
 * The admin's discount policy form checks what the API's validator checks, and maps the API's own 400
 * messages (produced here by Medusa's zodValidator on the real schema) to the field that must change.
 */
import { validateAndTransformBody } from "@medusajs/framework/http"
import { CreateDiscountPolicy } from "../../src/api/admin/discount-policies/validators"
import { EMPTY_POLICY, apiErrorsByField, formToBody, validatePolicyForm, type PolicyFormValues } from "../../src/admin/lib/policy"

const valid: PolicyFormValues = { ...EMPTY_POLICY, name: "Welcome offer" }

const cases: [string, Partial<PolicyFormValues>, keyof PolicyFormValues][] = [
  ["holdout above 50", { holdout_percent: "80" }, "holdout_percent"],
  ["exploration negative", { exploration_percent: "-1" }, "exploration_percent"],
  ["ladder above the maximum", { ladder: "5, 10, 20" }, "ladder"],
  ["ladder level zero", { ladder: "0, 10" }, "ladder"],
  ["max discount zero", { max_discount_percent: "0", ladder: "5" }, "max_discount_percent"],
  ["fractional per-customer limit", { per_customer_limit: "1.5" }, "per_customer_limit"],
  ["ttl too long", { offer_ttl_hours: "9000" }, "offer_ttl_hours"],
  ["win-back without days", { rounds: ["win_back"] }, "win_back_after_days"],
  ["abandoned cart without hours", { rounds: ["abandoned_cart"] }, "abandoned_after_hours"],
  ["combine without a cap", { stacking: "combine" }, "max_total_discount_percent"],
  ["bad budget currency", { budget_enabled: true, budget_amount: "100", budget_currency_code: "dollars" }, "budget_currency_code"],
  ["zero budget", { budget_enabled: true, budget_amount: "0" }, "budget_amount"],
  ["fairness gap above 1", { fairness_enabled: true, fairness_max_gap: "2" }, "fairness_max_gap"],
  ["no rounds", { rounds: [] }, "rounds"],
  ["control characters in the name", { name: "a\u0007b" }, "name"],
]

/** The message the API answers with: Medusa's own body validation middleware on the route's schema. */
async function apiMessage(body: Record<string, unknown>): Promise<string | null> {
  const middleware = validateAndTransformBody(CreateDiscountPolicy as any)
  const error: any = await new Promise((resolve) => middleware({ body } as any, {} as any, resolve as any))
  return error ? error.message : null
}

describe("admin policy form against the API validator", () => {
  it("accepts what the API accepts", async () => {
    expect(validatePolicyForm(valid)).toEqual({})
    expect(await apiMessage(formToBody(valid))).toBeNull()
    const full = { ...valid, rounds: ["first_order", "win_back"], win_back_after_days: "90", stacking: "combine", max_total_discount_percent: "30", budget_enabled: true, budget_amount: "500", fairness_enabled: true } as PolicyFormValues
    expect(validatePolicyForm(full)).toEqual({})
    expect(await apiMessage(formToBody(full))).toBeNull()
  })

  it.each(cases)("%s: the form and the API both reject it, on the same field", async (_name, patch, field) => {
    const values = { ...valid, ...patch } as PolicyFormValues
    expect(Object.keys(validatePolicyForm(values))).toEqual([field])
    const message = await apiMessage(formToBody(values))
    expect(message).not.toBeNull()
    expect(Object.keys(apiErrorsByField(message!))).toContain(field)
  })

  it("maps nested paths and unknown messages", () => {
    expect(apiErrorsByField("Invalid request: Value for field 'budget, amount' too small, expected at least: '0'")).toHaveProperty("budget_amount")
    expect(apiErrorsByField("Invalid request: ladder: every ladder level must be at most max_discount_percent")).toHaveProperty("ladder")
    expect(apiErrorsByField("Invalid request: Unrecognized fields: 'foo'")).toEqual({ form: "Unrecognized fields: 'foo'" })
    expect(apiErrorsByField("Discount policy with id \"x\" was not found")).toHaveProperty("form")
  })
})
