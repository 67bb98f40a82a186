import type { SignalValues } from "../rules/evaluate"
import type { IdentityKeys, LinkedCounts } from "../service"
import { addressKey, emailDomain, normalizeEmail } from "./identity"
import { toNumber } from "../../../lib/numbers"

/** The cart as completeCartWorkflow's validate hook hands it over (only what the assessment reads). */
export interface CheckoutCart {
  id: string
  email?: string | null
  total?: unknown
  currency_code?: string | null
  completed_at?: unknown
  metadata?: Record<string, unknown> | null
  customer_id?: string | null
  customer?: { id: string; created_at?: string | Date | null; has_account?: boolean | null } | null
  items?: { quantity?: unknown }[] | null
  shipping_address?: { address_1?: string | null; address_2?: string | null; postal_code?: string | null; country_code?: string | null; city?: string | null } | null
  billing_address?: { country_code?: string | null } | null
  promotions?: { id: string }[] | null
}

export function identityKeys(
  cart: CheckoutCart,
  client: { ip_hash: string | null; device_hash: string | null } | null,
  hash: (value: string) => string
): IdentityKeys {
  const address = addressKey(cart.shipping_address)
  return {
    cart_id: cart.id,
    customer_id: cart.customer?.id ?? cart.customer_id ?? null,
    email_hash: cart.email ? hash(cart.email) : null,
    email_norm_hash: cart.email ? hash(normalizeEmail(cart.email)) : null,
    ip_hash: client?.ip_hash ?? null,
    device_hash: client?.device_hash ?? null,
    address_hash: address ? hash(address) : null,
  }
}

export interface SignalInputs {
  cart: CheckoutCart
  keys: IdentityKeys
  now: Date
  orderCount: number
  averageOrderValue: number
  linked: LinkedCounts
  linkedRedeemed: boolean
  velocity: Record<string, number>
  score: number | null
}

/** All rule field values for one checkout (pure: every lookup was done by the caller). */
export function signalValues(s: SignalInputs): SignalValues {
  const { cart, keys } = s
  const total = toNumber(cart.total)
  const created = cart.customer?.created_at ? new Date(cart.customer.created_at) : null
  const shipping = cart.shipping_address?.country_code?.toLowerCase() ?? null
  const billing = cart.billing_address?.country_code?.toLowerCase() ?? null
  const promotions = cart.promotions?.length ?? 0
  return {
    "order.total": total,
    "order.item_count": (cart.items ?? []).reduce((n, i) => n + toNumber(i.quantity), 0),
    "order.currency_code": cart.currency_code?.toLowerCase() ?? null,
    "order.value_vs_customer_average": s.averageOrderValue > 0 ? Math.round((100 * total) / s.averageOrderValue) / 100 : 0,
    "order.promotion_count": promotions,
    "customer.account_age_hours": created ? Math.max(0, (s.now.getTime() - created.getTime()) / 3_600_000) : null,
    "customer.has_account": cart.customer ? Boolean(cart.customer.has_account) : null,
    "customer.order_count": s.orderCount,
    "customer.average_order_value": s.averageOrderValue,
    email: keys.email_hash,
    email_domain: emailDomain(cart.email),
    ip: keys.ip_hash,
    device_id: keys.device_hash,
    has_device_id: keys.device_hash !== null,
    "shipping_address.country_code": shipping,
    "billing_address.country_code": billing,
    billing_country_mismatch: shipping && billing ? shipping !== billing : null,
    accounts_per_device: s.linked.accounts_per_device,
    accounts_per_ip: s.linked.accounts_per_ip,
    accounts_per_address: s.linked.accounts_per_address,
    accounts_per_normalized_email: s.linked.accounts_per_normalized_email,
    linked_account_redeemed_first_order: promotions > 0 && s.orderCount === 0 && s.linkedRedeemed,
    "risk.score": s.score,
    ...s.velocity,
  }
}
