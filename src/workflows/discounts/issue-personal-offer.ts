import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { updateCartPromotionsWorkflow } from "@medusajs/medusa/core-flows"
import { PromotionActions } from "@medusajs/framework/utils"
import type { DecisionState, DrawnDecision, EligiblePolicy } from "./steps/decision-state"
import { drawOfferStep } from "./steps/draw-offer"
import { eligiblePolicyStep } from "./steps/eligible-policy"
import { fairnessLimitStep } from "./steps/fairness-limit"
import { IssuePersonalOfferInput, loadDecisionContextStep } from "./steps/load-decision-context"
import { LoggedDecision, logDecisionStep } from "./steps/log-decision"
import { planItemOfferStep } from "./steps/plan-item-offer"
import { riskReasonStep } from "./steps/risk-reason"

export const issuePersonalOfferWorkflowId = "uplift-issue-personal-offer"

export type { IssuePersonalOfferInput }

export interface IssuePersonalOfferOutput {
  decision_id?: string
  offer_id?: string
  chosen_percent?: number
}

/**
 * The scheduled rounds' decision (abandoned carts, the demo seed) for a customer's cart, in small steps over
 * the same functions as the cart request's decision (src/workflows/discounts/decision): load context ->
 * eligibility -> risk -> draw -> fairness -> item plan -> log and issue -> the cart's promotions. A failure
 * after the log (the cart's promotions cannot be refreshed) takes the offer and its decision back.
 */
export const issuePersonalOfferWorkflow = createWorkflow(issuePersonalOfferWorkflowId, (input: IssuePersonalOfferInput) => {
  const state = loadDecisionContextStep(input)
  const eligible = eligiblePolicyStep(state)

  const risk = when("uplift-decision-if-eligible", { eligible }, ({ eligible }) => Boolean(eligible)).then(() => {
    return riskReasonStep(transform({ state }, ({ state }) => ({ customer_id: state!.customer_id })))
  })

  const decisionInput = transform({ state, eligible }, ({ state, eligible }) => ({ state: state as DecisionState, eligible: eligible as EligiblePolicy }))
  const drawable = ({ eligible, risk }: { eligible: EligiblePolicy | null; risk?: { reason: string | null } }) => Boolean(eligible) && !risk?.reason
  const fair = when("uplift-decision-if-drawable", { eligible, risk }, drawable).then(() => {
    const draw = drawOfferStep(decisionInput)
    return fairnessLimitStep(transform({ decisionInput, draw }, ({ decisionInput, draw }) => ({ ...decisionInput, drawn: draw })))
  })
  const planned = when("uplift-decision-if-item-policy", { eligible, risk }, (data) => drawable(data) && data.eligible!.policy.target === "items").then(() => {
    return planItemOfferStep(transform({ decisionInput, fair }, ({ decisionInput, fair }) => ({ ...decisionInput, drawn: fair as DrawnDecision })))
  })

  const logged = when("uplift-decision-if-decided", { eligible }, ({ eligible }) => Boolean(eligible)).then(() => {
    return logDecisionStep(
      transform({ decisionInput, risk, fair, planned }, ({ decisionInput, risk, fair, planned }) => ({
        ...decisionInput,
        risk: risk?.reason ?? null,
        drawn: planned ?? (fair ? { ...(fair as DrawnDecision), item_plan: null } : null),
      }))
    )
  })

  when("uplift-decision-if-offer-open", { logged }, ({ logged }) => Boolean(logged?.offer_id)).then(() => {
    const refreshInput = transform({ input }, ({ input }) => ({
      cart_id: input.cart_id,
      promo_codes: [] as string[],
      action: PromotionActions.ADD as any,
    }))
    updateCartPromotionsWorkflow.runAsStep({ input: refreshInput })
  })

  const result = transform({ logged }, ({ logged }): IssuePersonalOfferOutput => {
    const done = logged as LoggedDecision | undefined
    return done ? { decision_id: done.decision_id, offer_id: done.offer_id, chosen_percent: done.chosen_percent } : {}
  })
  return new WorkflowResponse(result)
})
