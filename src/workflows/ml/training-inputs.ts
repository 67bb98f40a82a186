import type { MedusaContainer } from "@medusajs/framework/types"
import { DISCOUNTS_MODULE } from "../../modules/discounts"
import type DiscountsModuleService from "../../modules/discounts/service"
import { FRAUD_MODULE } from "../../modules/fraud"
import type FraudModuleService from "../../modules/fraud/service"
import type { ModelKind } from "../../modules/uplift/training/model-registry"
import type { TrainingInputs } from "../../modules/uplift/training/training-sets"
import { ATTRIBUTION_DAYS } from "../../ml/training/attribution"
import { recommenderCatalog } from "../../recommendations/model-store"

const DAY_MS = 86_400_000

/**
 * What a training run of `kind` learns from outside the uplift module, read through each owning module's
 * service and carried with the training job (the registry reads only the uplift module's own tables):
 * the catalog for the recommender, the logged decisions whose attribution window has closed for the
 * response model (discounts module), the labelled orders with their checkout features for the fraud
 * model (fraud module). The propensity model learns from purchases alone: nothing to carry.
 */
export async function trainingInputs(container: MedusaContainer, kind: ModelKind, now = new Date()): Promise<TrainingInputs> {
  switch (kind) {
    case "recommender":
      return { catalog: await recommenderCatalog(container) }
    case "response": {
      const discounts = container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
      return { decisions: await discounts.loggedDecisionsBefore(new Date(now.getTime() - ATTRIBUTION_DAYS * DAY_MS)) }
    }
    case "fraud":
      return { labelled_orders: await container.resolve<FraudModuleService>(FRAUD_MODULE).labelledOrders() }
    default:
      return {}
  }
}

/**
 * The training inputs of `kind` for a run that is queued (API, schedule, retry): when a module's data
 * cannot be read, the run is still queued and fails with the reason, as a training that cannot read its
 * data does, and retrying its job gathers the inputs again (never a 500 for a queued run).
 */
export async function trainingInputsForQueue(container: MedusaContainer, kind: ModelKind, now = new Date()): Promise<TrainingInputs> {
  try {
    return await trainingInputs(container, kind, now)
  } catch (error) {
    container.resolve("logger").warn(`medusa-uplift: ${kind} training inputs not read: ${(error as Error).message}`)
    return { inputs_error: (error as Error).message }
  }
}
