import type { MedusaContainer } from "@medusajs/framework/types"
import { FRAUD_MODULE } from "../../../modules/fraud"
import type FraudModuleService from "../../../modules/fraud/service"

const RISK_LOOKBACK_DAYS = 30

/** Fraud and abuse signals that make a shopper ineligible: a recent held or blocked checkout, or a fraud label. */
export async function riskReason(container: MedusaContainer, customerId: string): Promise<string | null> {
  const fraud = container.resolve<FraudModuleService>(FRAUD_MODULE)
  const since = new Date(Date.now() - RISK_LOOKBACK_DAYS * 86_400_000)
  const [[flagged], [label]] = await Promise.all([
    fraud.listFraudAssessments({ customer_id: customerId, decision: ["hold", "block"], created_at: { $gte: since } }, { take: 1 }),
    fraud.listFraudLabels({ customer_id: customerId, label: "fraud" }, { take: 1 }),
  ])
  if (flagged) {
    return `Not eligible: a checkout of this customer was ${flagged.decision === "block" ? "blocked" : "held"} by fraud screening in the last ${RISK_LOOKBACK_DAYS} days.`
  }
  return label ? "Not eligible: an order of this customer was labelled fraud." : null
}
