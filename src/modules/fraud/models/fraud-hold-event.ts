import { model } from "@medusajs/framework/utils"

/** Audit trail of a hold: who did what, when, with which note. */
export const FraudHoldEvent = model
  .define("uplift_fraud_hold_event", {
    id: model.id({ prefix: "fhev" }).primaryKey(),
    hold_id: model.text(),
    order_id: model.text(),
    action: model.enum(["opened", "released", "rejected", "release_reverted", "capture_refunded"]),
    actor_id: model.text().nullable(),
    note: model.text().nullable(),
  })
  .indexes([{ on: ["hold_id"] }])
