import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { DISCOUNTS_MODULE } from "../../../modules/discounts"
import type DiscountsModuleService from "../../../modules/discounts/service"
import type { DecideOnceResult } from "../../../modules/discounts/service"
import { RECOMMENDATIONS_MODULE } from "../../../modules/recommendations"
import type RecommendationsModuleService from "../../../modules/recommendations/service"
import type { ItemOfferPlan } from "../item-offers/plan-item-offer"
import { logAndIssue, logIneligible } from "../decision/log-and-issue"
import { decisionContextOf, DecisionState, DrawnDecision, EligiblePolicy } from "./decision-state"

export const logDecisionStepId = "uplift-decision-log"

export interface LogDecisionInput {
  state: DecisionState
  eligible: EligiblePolicy
  /** Set: the shopper is ineligible for this reason (logged without a draw). */
  risk: string | null
  /** The draw after fairness and the item plan; absent for an ineligible shopper. */
  drawn?: (DrawnDecision & { item_plan: ItemOfferPlan | null }) | null
}

export interface LoggedDecision {
  decision_id?: string
  /** The customer's open offer under the policy afterwards: issued now, or by a request that won a race. */
  offer_id?: string
  chosen_percent: number
  /** Whether this step issued the offer (false when it adopted a standing decision). */
  issued: boolean
}

/** What the step wrote, and so what its compensation takes back: nothing when a standing decision was adopted. */
interface Written {
  decision_id?: string
  offer_id?: string
}

/**
 * Logs the decision and issues its offer (within budget and the per-customer limit) with the same functions
 * as the cart request (logAndIssue, logIneligible): one transaction, so that the log says what the shopper
 * got (a refused offer is logged as no offer) and a concurrent decision for the customer is adopted, never
 * doubled. Compensation takes back exactly what it wrote: the offer it issued is revoked (its item targets
 * deleted) and the decision row it logged is deleted, so the customer is decided afresh next round; a
 * standing decision it adopted is left alone.
 */
export const logDecisionStep = createStep(
  logDecisionStepId,
  async ({ state, eligible, risk, drawn }: LogDecisionInput, { container }) => {
    const context = decisionContextOf(container, state)
    const { policy, round } = eligible
    const result: DecideOnceResult = risk
      ? await logIneligible(context, policy, round, risk)
      : await logAndIssue(context, policy, round, {
          decision: drawn!.decision,
          features: drawn!.features,
          basket: state.basket,
          fairnessValue: drawn!.fairness_value,
          itemPlan: drawn!.item_plan,
        })
    const issued = result.recorded && Boolean(result.offer)
    const logged: LoggedDecision = {
      decision_id: result.decision.id,
      offer_id: result.offer?.id,
      chosen_percent: result.offer ? Number(result.offer.discount_percent) : 0,
      issued,
    }
    const written: Written = result.recorded ? { decision_id: result.decision.id, offer_id: issued ? result.offer!.id : undefined } : {}
    return new StepResponse(logged, written)
  },
  async (written, { container }) => {
    if (!written?.decision_id) return
    const discounts = container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
    if (written.offer_id) {
      const [offer] = await discounts.listPersonalOffers({ id: written.offer_id, status: "active" }, { select: ["id"] })
      if (offer) await discounts.updatePersonalOffers({ id: offer.id, status: "revoked", revoked_reason: "workflow rolled back" })
      await container.resolve<RecommendationsModuleService>(RECOMMENDATIONS_MODULE).deleteItemOfferTargets({ offer_id: written.offer_id })
    }
    await discounts.deleteOfferDecisions(written.decision_id)
  }
)
