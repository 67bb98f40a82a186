import type { MedusaContainer } from "@medusajs/framework/types"
import { createProductsWorkflow } from "@medusajs/medusa/core-flows"
import { createStoreBasics, StoreBasics } from "../../src/demo/store-setup"

export interface TestStore extends StoreBasics {
  variantIds: string[]
  productIds: string[]
}

type Api = {
  post: (url: string, body?: unknown, config?: unknown) => Promise<{ data: any }>
  get: (url: string, config?: unknown) => Promise<{ data: any }>
}

/** A small selling store: basics plus `productCount` products priced 20, 30, ... */
export async function createTestStore(container: MedusaContainer, productCount = 3): Promise<TestStore> {
  const basics = await createStoreBasics(container, { name: "Test store", currencyCode: "usd", countryCode: "us" })
  const { result } = await createProductsWorkflow(container).run({
    input: {
      products: Array.from({ length: productCount }, (_, index) => ({
        title: `Product ${index + 1}`,
        status: "published" as const,
        shipping_profile_id: basics.shippingProfileId,
        options: [{ title: "Size", values: ["One"] }],
        sales_channels: [{ id: basics.salesChannelId }],
        variants: [
          {
            title: "One",
            sku: `SKU-${index + 1}-${Date.now()}`,
            manage_inventory: false,
            options: { Size: "One" },
            prices: [{ currency_code: "usd", amount: 20 + index * 10 }],
            metadata: { cost: 10 + index * 5 },
          },
        ],
      })),
    },
  })
  return {
    ...basics,
    productIds: result.map((product) => product.id),
    variantIds: result.map((product) => product.variants[0].id),
  }
}

/** A storefront request's config: the store's publishable key and the shopper's headers (a login, or none). */
export function storeConfig(store: TestStore, headers: Record<string, string> = {}): { headers: Record<string, string> } {
  return { headers: { "x-publishable-api-key": store.publishableKey, ...headers } }
}

/** Storefront calls against the store a spec sets up anew before each test. */
export function storefront(api: Api, currentStore: () => TestStore) {
  const config = (headers: Record<string, string> = {}) => storeConfig(currentStore(), headers)
  const getCart = async (cartId: string, headers: Record<string, string> = {}) => (await api.get(`/store/carts/${cartId}`, config(headers))).data.cart
  return { config, getCart }
}

/** The codes of the cart's promotions, sorted. */
export function promotionCodes(cart: { promotions?: { code?: string | null }[] | null }): string[] {
  return (cart.promotions ?? []).map((promotion) => promotion.code as string).sort()
}

/** A cart with the given variants, as a storefront creates it. */
export async function createCart(
  api: Api,
  store: TestStore,
  headers: Record<string, string>,
  lines: { variant_id: string; quantity: number }[]
): Promise<string> {
  const config = storeConfig(store, headers)
  const { data } = await api.post("/store/carts", { region_id: store.regionId, sales_channel_id: store.salesChannelId }, config)
  for (const line of lines) {
    await api.post(`/store/carts/${data.cart.id}/line-items`, line, config)
  }
  return data.cart.id
}

/** Address, shipping and a system payment session through the store API: the cart is ready to complete. */
export async function prepareCheckout(
  api: Api,
  store: TestStore,
  cartId: string,
  headers: Record<string, string>,
  email = "shopper@uplift.test",
  payment: PaymentChoice = SYSTEM_PAYMENT
): Promise<void> {
  const config = storeConfig(store, headers)
  const address = { first_name: "Test", last_name: "Shopper", address_1: "1 Main St", city: "Cincinnati", country_code: "us", postal_code: "45202" }
  await api.post(`/store/carts/${cartId}`, { email, shipping_address: address, billing_address: address }, config)
  await api.post(`/store/carts/${cartId}/shipping-methods`, { option_id: store.shippingOptionId }, config)
  await startPayment(api, store, cartId, headers, payment)
}

type PaymentChoice = { provider_id: string; data?: Record<string, unknown> }
const SYSTEM_PAYMENT: PaymentChoice = { provider_id: "pp_system_default" }

/** A payment session (the system provider unless told) for the cart's current total (again after the total changed). */
export async function startPayment(api: Api, store: TestStore, cartId: string, headers: Record<string, string>, payment: PaymentChoice = SYSTEM_PAYMENT): Promise<void> {
  const config = storeConfig(store, headers)
  const { data: collection } = await api.post("/store/payment-collections", { cart_id: cartId }, config)
  await api.post(
    `/store/payment-collections/${collection.payment_collection.id}/payment-sessions`,
    payment,
    config
  )
}

/** Address, shipping, system payment and completion through the store API. Returns the raw completion response. */
export async function checkout(
  api: Api,
  store: TestStore,
  cartId: string,
  headers: Record<string, string>,
  email = "shopper@uplift.test",
  payment: PaymentChoice = SYSTEM_PAYMENT
): Promise<any> {
  await prepareCheckout(api, store, cartId, headers, email, payment)
  const { data } = await api.post(`/store/carts/${cartId}/complete`, {}, storeConfig(store, headers))
  return data
}

/** Polls until `read` returns a value that `done` accepts, or fails with the last value seen. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last = await read()
  while (!done(last)) {
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
    last = await read()
  }
  return last
}
