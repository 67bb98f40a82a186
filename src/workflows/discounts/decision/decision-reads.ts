import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { UPLIFT_MODULE } from "../../../modules/uplift"
import type UpliftModuleService from "../../../modules/uplift/service"
import type { Basket } from "../basket"
import { riskReason } from "./risk-reason"

/** Statements a draw's reads take at once (the model comes from memory). */
export const DECISION_READ_STATEMENTS = 3

/** What a draw reads, each started once: the purchase history with the profile, the risk signals, the basket with costs, the served model. */
export interface DecisionReads {
  history: ReturnType<UpliftModuleService["offerHistory"]>
  risk: Promise<string | null>
  basket: Promise<Basket>
  model: ReturnType<UpliftModuleService["registry"]["activeResponseModel"]>
}

/**
 * Starts a draw's reads side by side. The cart request starts them alongside its offer lookup for a shopper
 * who may need a decision, so that a draw waits for the lookup and its claim only; when the lookup finds
 * the decision standing, nobody awaits them (their failures are swallowed here, never unhandled).
 */
export function startDecisionReads(container: MedusaContainer, customerId: string, basket: () => Promise<Basket>): DecisionReads {
  const uplift = container.resolve<UpliftModuleService>(UPLIFT_MODULE)
  const reads: DecisionReads = {
    history: uplift.offerHistory(customerId),
    risk: riskReason(container, customerId),
    basket: basket(),
    model: uplift.registry.activeResponseModel(),
  }
  for (const pending of Object.values(reads) as Promise<unknown>[]) pending.catch(() => undefined)
  return reads
}

type ConnectionPool = { max: number; numUsed(): number; numPendingCreates(): number; numPendingAcquires(): number }

/**
 * Whether the database pool has room for `statements` more connections with nobody waiting for one. The
 * cart request reads ahead only then: under a burst (many checkouts at once) the extra reads would queue
 * behind the work that holds the pool, so the decision reads after its lookup, as without reading ahead.
 */
export function poolHasRoom(container: MedusaContainer, statements: number): boolean {
  const pool = container.resolve(ContainerRegistrationKeys.PG_CONNECTION, { allowUnregistered: true })?.client?.pool as ConnectionPool | undefined
  if (!pool || typeof pool.numUsed !== "function") return false
  return pool.numPendingAcquires() === 0 && pool.numUsed() + pool.numPendingCreates() + statements <= pool.max
}
