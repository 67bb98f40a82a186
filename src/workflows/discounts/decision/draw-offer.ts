import { decideOffer, OfferDecision, ResponseModel } from "../../../ml/decision/offer-decision"
import type { LivePolicy } from "../../../modules/discounts/service"
import type { Basket } from "../basket"
import { randomUnit } from "../steps/random"

export interface Draw {
  decision: OfferDecision
  features: Record<string, number>
}

/** The policy's draw for this basket (holdout, exploration or the model's best level): pure, in memory. */
export function drawOffer(policy: LivePolicy, customerId: string, basket: Basket, features: Record<string, number>, model: ResponseModel | null): Draw {
  const decision = decideOffer(
    { ...(policy as any), ladder: policy.ladder },
    { customerId, basketValue: basket.value, marginPercent: basket.marginPercent, features },
    model,
    randomUnit(),
    randomUnit()
  )
  return { decision, features }
}
