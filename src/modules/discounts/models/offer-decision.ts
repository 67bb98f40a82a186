import { model } from "@medusajs/framework/utils"

/** Every decision, offer or not, with its propensity: what incrementality and off-policy reports read. */
export const OfferDecision = model
  .define("uplift_offer_decision", {
    id: model.id({ prefix: "udec" }).primaryKey(),
    policy_id: model.text(),
    customer_id: model.text(),
    cart_id: model.text().nullable(),
    round: model.text().nullable(),
    group: model.enum(["holdout", "explore", "model", "fixed", "ineligible"]),
    chosen_percent: model.float().default(0),
    propensity: model.float().default(1),
    model_version: model.text(),
    features_digest: model.text().nullable(),
    /** The features the decision saw, as they were then: point-in-time training rows for the response model. */
    features: model.json().nullable(),
    candidates: model.json().nullable(),
    reasons: model.json().nullable(),
    basket_value: model.float().default(0),
    margin_percent: model.float().nullable(),
    shadow: model.boolean().default(false),
    fairness_value: model.text().nullable(),
    /**
     * The customer's previous decision under the policy ("" for none) when this one was claimed: unique per
     * customer and policy, so of requests racing to decide exactly one inserts (null: logged without a claim).
     */
    claim_key: model.text().nullable(),
  })
  .indexes([
    { on: ["policy_id", "customer_id"] },
    { on: ["policy_id", "created_at"] },
    { on: ["policy_id", "customer_id", "claim_key"], unique: true, where: "claim_key IS NOT NULL" },
  ])
