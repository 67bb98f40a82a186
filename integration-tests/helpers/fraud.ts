import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { customerHeaders } from "./auth"
import { checkout, createCart, storeConfig, TestStore } from "./store"

type Api = {
  post: (url: string, body?: unknown, config?: unknown) => Promise<{ data: any; status: number }>
  get: (url: string, config?: unknown) => Promise<{ data: any; status: number }>
  delete: (url: string, config?: unknown) => Promise<{ data: any; status: number }>
}

export interface Shopper {
  email: string
  headers: Record<string, string>
  customerId: string
}

export async function shopper(api: Api, store: TestStore, email: string, deviceId?: string): Promise<Shopper> {
  const { headers, customerId } = await customerHeaders(api as any, store.publishableKey, email)
  return { email, customerId, headers: deviceId ? { ...headers, "x-device-id": deviceId } : headers }
}

/** Cart + checkout through the store API; returns the HTTP status and body of the completion (errors included). */
export async function placeOrder(
  api: Api,
  store: TestStore,
  who: Shopper,
  options: { quantity?: number; variant?: number; promoCodes?: string[]; cartId?: string; payment?: { provider_id: string; data?: Record<string, unknown> } } = {}
): Promise<{ status: number; data: any; cartId: string }> {
  const cartId = options.cartId ?? (await createCart(api as any, store, who.headers, [{ variant_id: store.variantIds[options.variant ?? 0], quantity: options.quantity ?? 1 }]))
  if (options.promoCodes?.length) {
    await api.post(`/store/carts/${cartId}/promotions`, { promo_codes: options.promoCodes }, storeConfig(store, who.headers))
  }
  try {
    const data = await checkout(api as any, store, cartId, who.headers, who.email, options.payment)
    return { status: 200, data, cartId }
  } catch (error: any) {
    if (!error.response) throw error
    return { status: error.response.status, data: error.response.data, cartId }
  }
}

/** Completes an existing, already prepared cart again. */
export async function completeAgain(api: Api, store: TestStore, who: Shopper, cartId: string): Promise<{ status: number; data: any }> {
  return api
    .post(`/store/carts/${cartId}/complete`, {}, storeConfig(store, who.headers))
    .then((r) => ({ status: r.status, data: r.data }))
    .catch((e: any) => ({ status: e.response.status, data: e.response.data }))
}

export async function orderDetails(container: MedusaContainer, orderId: string) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: ["id", "status", "items.id", "items.quantity", "payment_collections.status", "payment_collections.payments.id", "payment_collections.payments.canceled_at", "payment_collections.payments.captured_at"],
    filters: { id: orderId },
  })
  return data[0] as any
}

export async function ordersOfCart(container: MedusaContainer, cartId: string): Promise<string[]> {
  const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({ entity: "order_cart", fields: ["order_id"], filters: { cart_id: cartId } })
  return data.map((row: any) => row.order_id)
}

export function responseOf<T = any>(promise: Promise<{ status: number; data: T }>): Promise<{ status: number; data: any }> {
  return promise.then((r) => ({ status: r.status, data: r.data })).catch((e: any) => ({ status: e.response?.status ?? 0, data: e.response?.data }))
}
