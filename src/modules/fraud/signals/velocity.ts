import type { VelocityKey, VelocityMetric } from "../rules/fields"
import { velocityField } from "../rules/fields"

/** A previous checkout attempt as read from the assessments table. */
export interface AttemptRow {
  cart_id: string
  order_id: string | null
  customer_id: string | null
  email_hash: string | null
  ip_hash: string | null
  device_hash: string | null
  address_hash: string | null
  created_at: Date
}

export type VelocityKeys = Record<VelocityKey, string | null>

const COLUMN: Record<VelocityKey, keyof AttemptRow> = {
  customer: "customer_id",
  email: "email_hash",
  ip: "ip_hash",
  device: "device_hash",
  address: "address_hash",
}

/**
 * Orders (attempts that became orders), carts (distinct carts that tried to check out) and failed payments
 * (carts that tried and have no order: blocked or not authorized) per identity, last hour and day. The
 * current cart is left out.
 */
export function velocityCounts(rows: AttemptRow[], keys: VelocityKeys, currentCartId: string, now: Date): Record<string, number> {
  const out: Record<string, number> = {}
  const hourAgo = now.getTime() - 3_600_000
  const dayAgo = now.getTime() - 86_400_000
  for (const key of Object.keys(COLUMN) as VelocityKey[]) {
    const value = keys[key]
    const matching = value ? rows.filter((r) => r.cart_id !== currentCartId && r[COLUMN[key]] === value) : []
    for (const [window, since] of [["1h", hourAgo], ["24h", dayAgo]] as const) {
      const inWindow = matching.filter((r) => r.created_at.getTime() >= since)
      const carts = new Map<string, boolean>()
      const orders = new Set<string>()
      for (const r of inWindow) {
        carts.set(r.cart_id, (carts.get(r.cart_id) ?? false) || r.order_id !== null)
        if (r.order_id) orders.add(r.order_id)
      }
      const counts: Record<VelocityMetric, number> = {
        orders: orders.size,
        carts: carts.size,
        failed_payments: [...carts.values()].filter((ordered) => !ordered).length,
      }
      for (const metric of Object.keys(counts) as VelocityMetric[]) out[velocityField(key, metric, window)] = counts[metric]
    }
  }
  return out
}
