import type { InteractionInput } from "../modules/uplift/types"
import { toNumber } from "../lib/numbers"

/** Shapes as read through Medusa's query graph; only the fields the plugin needs. */
export interface CartSnapshot {
  id: string
  customer_id?: string | null
  currency_code?: string | null
  items?: LineSnapshot[] | null
}

/** Money and quantities arrive as numbers, numeric strings or BigNumber-like objects. */
export type NumberLike = number | string | { numeric?: unknown; value?: unknown }

export interface LineSnapshot {
  id: string
  product_id?: string | null
  variant_id?: string | null
  quantity: NumberLike
  unit_price: NumberLike
}

export interface OrderSnapshot extends CartSnapshot {
  created_at?: Date | string
}

export interface ReturnSnapshot {
  id: string
  items?: { item_id: string; quantity: NumberLike }[] | null
}

export interface PaymentSnapshot {
  id: string
  amount: number | string
  currency_code?: string | null
  captures?: { id: string; amount: number | string }[] | null
  refunds?: { id: string; amount: number | string }[] | null
}

export function cartInteractions(cart: CartSnapshot, at: Date = new Date()): InteractionInput[] {
  return (cart.items ?? []).map((item) => ({
    dedupe_key: `cart:${cart.id}:${cart.customer_id ?? "guest"}:${item.variant_id}:${toNumber(item.quantity)}`,
    kind: "cart_item",
    customer_id: cart.customer_id ?? null,
    cart_id: cart.id,
    product_id: item.product_id ?? null,
    variant_id: item.variant_id ?? null,
    quantity: toNumber(item.quantity),
    value: lineValue(item),
    currency_code: cart.currency_code ?? null,
    occurred_at: at,
  }))
}

export function orderInteractions(
  order: OrderSnapshot,
  kind: "purchase" | "cancel",
  at: Date = new Date()
): InteractionInput[] {
  return (order.items ?? []).map((item) => ({
    dedupe_key: `${kind}:${order.id}:${item.id}`,
    kind,
    customer_id: order.customer_id ?? null,
    order_id: order.id,
    product_id: item.product_id ?? null,
    variant_id: item.variant_id ?? null,
    quantity: toNumber(item.quantity),
    value: lineValue(item),
    currency_code: order.currency_code ?? null,
    occurred_at: kind === "purchase" && order.created_at ? new Date(order.created_at) : at,
  }))
}

export function returnInteractions(order: OrderSnapshot, received: ReturnSnapshot, at: Date = new Date()): InteractionInput[] {
  const linesById = new Map((order.items ?? []).map((item) => [item.id, item]))
  return (received.items ?? []).flatMap((returned) => {
    const line = linesById.get(returned.item_id)
    if (!line) {
      return []
    }
    const quantity = toNumber(returned.quantity)
    return [
      {
        dedupe_key: `return:${received.id}:${returned.item_id}`,
        kind: "return" as const,
        customer_id: order.customer_id ?? null,
        order_id: order.id,
        product_id: line.product_id ?? null,
        variant_id: line.variant_id ?? null,
        quantity,
        value: toNumber(line.unit_price) * quantity,
        currency_code: order.currency_code ?? null,
        occurred_at: at,
      },
    ]
  })
}

/** One record per capture or refund, so a partial second capture is recorded too. */
export function paymentInteractions(
  payment: PaymentSnapshot,
  order: { id: string; customer_id?: string | null } | null,
  kind: "payment_captured" | "payment_refunded",
  at: Date = new Date()
): InteractionInput[] {
  const movements = (kind === "payment_captured" ? payment.captures : payment.refunds) ?? []
  return movements.map((movement) => ({
    dedupe_key: `${kind}:${movement.id}`,
    kind,
    customer_id: order?.customer_id ?? null,
    order_id: order?.id ?? null,
    quantity: 0,
    value: toNumber(movement.amount),
    currency_code: payment.currency_code ?? null,
    occurred_at: at,
  }))
}

function lineValue(item: LineSnapshot): number {
  return toNumber(item.unit_price) * toNumber(item.quantity)
}
