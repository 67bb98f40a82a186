import type { MedusaContainer } from "@medusajs/framework/types"
import { DISCOUNTS_MODULE } from "../../../modules/discounts"
import type DiscountsModuleService from "../../../modules/discounts/service"
import type { LivePolicy } from "../../../modules/discounts/service"
import { Basket, CostedItem, loadBasket } from "../basket"
import type { DecisionReads } from "./decision-reads"

export type DecisionTrigger = "cart" | "abandoned_cart"

/** The cart a decision is made for, as the cart workflow's hook or the scheduled rounds hold it. */
export interface DecisionCart {
  id: string
  currency_code?: string | null
  region_id?: string | null
  sales_channel_id?: string | null
  shipping_address?: { country_code?: string | null } | null
  items?: CostedItem[] | null
  /** The cart's customer with their groups, when the cart was loaded with them (the cart workflows do). */
  customer?: { id?: string | null; groups?: { id: string }[] | null } | null
}

/** Everything a decision reads, each fact loaded once: policies from memory, the rest in one read each. */
export interface DecisionContext {
  container: MedusaContainer
  discounts: DiscountsModuleService
  cart: DecisionCart
  customerId: string
  trigger: DecisionTrigger
  /** Live policies without a decision standing for the customer, oldest first. */
  undecided: LivePolicy[]
  /** Every live policy's id, decided or not (the cart request's decision). */
  livePolicyIds?: string[]
  /** Milliseconds per phase of this decision (reads, log_issue), for the benchmark's breakdown. */
  phases: Record<string, number>
  /** The basket with costs, read once per request (shared with the offer limits of the same request). */
  basket: () => Promise<Basket>
  /** The draw's reads, when the cart request started them alongside its offer lookup. */
  reads?: DecisionReads
  /** An order offer's claim may run on while the cart workflow computes promotions (deferred-claims.ts). */
  deferClaim?: boolean
}

/**
 * The decision's starting point, or null when there is nothing to decide (no live policy, or a decision
 * stands under each): the common case of a cart update, costing the in-memory policies and one indexed read
 * (none when the caller passes the standing decisions it `known` from its own read).
 */
export async function loadDecisionContext(
  container: MedusaContainer,
  cart: DecisionCart,
  customerId: string,
  trigger: DecisionTrigger,
  basket: () => Promise<Basket> = once(() => loadBasket(container, cart.items)),
  known?: Set<string>,
  reads?: DecisionReads
): Promise<DecisionContext | null> {
  if (!cart.items?.length) return null
  const discounts = container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
  const live = await discounts.livePolicies()
  if (!live.length) return null
  const decided = known ?? (await discounts.decidedPolicyIds(customerId, live.map((policy) => policy.id)))
  const undecided = live.filter((policy) => !decided.has(policy.id))
  return undecided.length ? { container, discounts, cart, customerId, trigger, undecided, livePolicyIds: live.map((policy) => policy.id), basket, reads, phases: {} } : null
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined
  return () => (loaded ??= load())
}
