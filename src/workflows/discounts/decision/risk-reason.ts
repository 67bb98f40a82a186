import type { MedusaContainer } from "@medusajs/framework/types"
import { FRAUD_MODULE } from "../../../modules/fraud"
import type FraudModuleService from "../../../modules/fraud/service"

const RISK_LOOKBACK_DAYS = 30

/** Fraud and abuse signals that make a shopper ineligible: a recent held or blocked checkout, or a fraud label (one read). */
export async function riskReason(container: MedusaContainer, customerId: string): Promise<string | null> {
  const fraud = container.resolve<FraudModuleService>(FRAUD_MODULE)
  const since = new Date(Date.now() - RISK_LOOKBACK_DAYS * 86_400_000)
  const { flagged, labelled } = await fraud.offerRiskSignals(customerId, since)
  if (flagged) {
    return `Not eligible: a checkout of this customer was ${flagged === "block" ? "blocked" : "held"} by fraud screening in the last ${RISK_LOOKBACK_DAYS} days.`
  }
  return labelled ? "Not eligible: an order of this customer was labelled fraud." : null
}
