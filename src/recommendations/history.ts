import type { MedusaContainer } from "@medusajs/framework/types"
import { UPLIFT_MODULE } from "../modules/uplift"
import type { InteractionHistory } from "../modules/uplift/history"
import type UpliftModuleService from "../modules/uplift/service"

/** The interaction history the recommender learns from and ranks with (the uplift module owns it). */
export function historyOf(container: MedusaContainer): InteractionHistory {
  return container.resolve<UpliftModuleService>(UPLIFT_MODULE).history
}
