import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { DISCOUNTS_MODULE } from "../../../../../modules/discounts"
import type DiscountsModuleService from "../../../../../modules/discounts/service"
import { UPLIFT_MODULE } from "../../../../../modules/uplift"
import type UpliftModuleService from "../../../../../modules/uplift/service"
import { withDatabaseErrors } from "../../../../utils/database-unavailable"

const ID_PATTERN = /^[A-Za-z0-9_|:.-]{1,128}$/
const RECENT = 10
const HISTORY_ROWS = 20_000

export interface SourceHistory {
  /** "seed": purchases imported into the plugin's history (not Medusa orders); "event": orders placed in this store. */
  source: "seed" | "event"
  currency_code: string | null
  order_count: number
  total_spent: number
  last_order_at: Date | null
}

/** The customer's purchases the plugin learns from, per origin and currency, so the admin can say where they come from. */
async function historyBySource(uplift: UpliftModuleService, customerId: string): Promise<SourceHistory[]> {
  const rows = await uplift.listInteractions(
    { customer_id: customerId, kind: "purchase" },
    { select: ["source", "order_id", "value", "currency_code", "occurred_at"], take: HISTORY_ROWS }
  )
  const groups = new Map<string, SourceHistory & { orders: Set<string> }>()
  for (const row of rows) {
    const key = `${row.source}:${row.currency_code ?? ""}`
    const group = groups.get(key) ?? { source: row.source, currency_code: row.currency_code ?? null, order_count: 0, total_spent: 0, last_order_at: null, orders: new Set<string>() }
    group.orders.add(row.order_id ?? row.id)
    group.total_spent += Number(row.value)
    const at = new Date(row.occurred_at)
    if (!group.last_order_at || at > group.last_order_at) group.last_order_at = at
    groups.set(key, group)
  }
  return [...groups.values()].map(({ orders, ...group }) => ({ ...group, order_count: orders.size }))
}

/**
 * What the plugin knows about one customer, for the admin's customer page: their personal offers, recent
 * offer decisions (with the policy names), and propensity highlights (purchase history per origin, seeded
 * or placed in this store, with its currency; and the likeliest next purchases from the batch scoring).
 */
export const GET = withDatabaseErrors(async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const customerId = req.params.id
  if (!ID_PATTERN.test(customerId)) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "Invalid request: id must be 1-128 letters, digits or _ | : . -")
  }
  const discounts = req.scope.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
  const uplift = req.scope.resolve<UpliftModuleService>(UPLIFT_MODULE)
  const [offers, decisions, profiles, history] = await Promise.all([
    discounts.listPersonalOffers({ customer_id: customerId }, { take: RECENT, order: { created_at: "DESC" } }),
    discounts.listOfferDecisions(
      { customer_id: customerId },
      {
        take: RECENT,
        order: { created_at: "DESC" },
        select: ["id", "policy_id", "customer_id", "cart_id", "round", "group", "chosen_percent", "propensity", "model_version", "candidates", "reasons", "basket_value", "shadow", "created_at"],
      }
    ),
    uplift.listCustomerProfiles({ customer_id: customerId }, { take: 1, select: ["has_account", "signed_up_at", "attributes"] }),
    historyBySource(uplift, customerId).catch(() => null),
  ])
  const profile = profiles[0] ?? null
  const attributes = (profile?.attributes ?? {}) as Record<string, unknown>
  const nextIds = Array.isArray(attributes.next_purchases) ? (attributes.next_purchases as unknown[]).map(String).slice(0, 5) : []
  const products = nextIds.length
    ? await req.scope.resolve(Modules.PRODUCT).listProducts({ id: nextIds }, { select: ["id", "title"] }).catch(() => [])
    : []
  const titles = new Map(products.map((product) => [product.id, product.title]))
  const policyIds = [...new Set([...offers, ...decisions].map((row) => row.policy_id as string))]
  const policies = policyIds.length ? await discounts.listDiscountPolicies({ id: policyIds }, { select: ["id", "name"], withDeleted: true }) : []
  const { next_purchases: _next, propensity_version, ...profileAttributes } = attributes
  res.json({
    offers,
    decisions,
    propensity: {
      profile: profile ? { has_account: profile.has_account, signed_up_at: profile.signed_up_at, attributes: profileAttributes } : null,
      history,
      next_purchases: nextIds.map((id) => ({ id, title: titles.get(id) ?? null })),
      model_version: typeof propensity_version === "string" ? propensity_version : null,
    },
    policies: Object.fromEntries(policies.map((policy) => [policy.id, policy.name])),
  })
})
