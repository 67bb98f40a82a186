"use strict"
/** Admin and Store API calls the browser test needs for its setup (shoppers, checkouts) and its waits. */

async function request(base, method, path, { body, headers = {} } = {}) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  const data = text ? JSON.parse(text) : {}
  if (!response.ok) {
    const error = new Error(`${method} ${path} -> ${response.status}: ${data.message ?? text}`)
    error.status = response.status
    throw error
  }
  return data
}

async function adminClient(base, email, password) {
  const { token } = await request(base, "POST", "/auth/user/emailpass", { body: { email, password } })
  const headers = { authorization: `Bearer ${token}` }
  return {
    get: (path) => request(base, "GET", path, { headers }),
    post: (path, body = {}) => request(base, "POST", path, { body, headers }),
  }
}

/** A registered, logged-in shopper of the demo store. */
async function shopper(base, basics, email) {
  const password = "e2e-shopper-password"
  const key = { "x-publishable-api-key": basics.publishable_key }
  const registered = await request(base, "POST", "/auth/customer/emailpass/register", { body: { email, password } })
  const { customer } = await request(base, "POST", "/store/customers", {
    body: { email, first_name: "E2E", last_name: email.split("@")[0] },
    headers: { ...key, authorization: `Bearer ${registered.token}` },
  })
  const login = await request(base, "POST", "/auth/customer/emailpass", { body: { email, password } })
  const headers = { ...key, authorization: `Bearer ${login.token}` }
  return {
    email,
    customerId: customer.id,
    get: (path) => request(base, "GET", path, { headers }),
    post: (path, body = {}) => request(base, "POST", path, { body, headers }),
  }
}

async function firstVariant(base, basics) {
  const { products } = await request(base, "GET", `/store/products?limit=5&region_id=${basics.region_id}&fields=*variants`, {
    headers: { "x-publishable-api-key": basics.publishable_key },
  })
  const product = products.find((p) => p.variants?.length)
  if (!product) throw new Error("the demo store has no product with variants")
  return product.variants[0].id
}

async function openCart(who, basics, variantId, quantity = 2) {
  const { cart } = await who.post("/store/carts", { region_id: basics.region_id, sales_channel_id: basics.sales_channel_id })
  await who.post(`/store/carts/${cart.id}/line-items`, { variant_id: variantId, quantity })
  return cart.id
}

/** Address, shipping, the system payment provider and completion, as a storefront does it. */
async function checkout(who, cartId) {
  const address = { first_name: "E2E", last_name: "Shopper", address_1: "1 Main St", city: "Cincinnati", country_code: "us", postal_code: "45202" }
  await who.post(`/store/carts/${cartId}`, { email: who.email, shipping_address: address, billing_address: address })
  const { shipping_options } = await who.get(`/store/shipping-options?cart_id=${cartId}`)
  if (!shipping_options.length) throw new Error("no shipping option for the cart")
  await who.post(`/store/carts/${cartId}/shipping-methods`, { option_id: shipping_options[0].id })
  const { payment_collection } = await who.post("/store/payment-collections", { cart_id: cartId })
  await who.post(`/store/payment-collections/${payment_collection.id}/payment-sessions`, { provider_id: "pp_system_default" })
  const completed = await who.post(`/store/carts/${cartId}/complete`)
  if (completed.type !== "order") throw new Error(`checkout did not create an order: ${JSON.stringify(completed).slice(0, 300)}`)
  return completed.order.id
}

async function waitFor(what, check, { timeoutMs = 60_000, intervalMs = 500 } = {}) {
  const until = Date.now() + timeoutMs
  let last
  while (Date.now() < until) {
    try {
      const value = await check()
      if (value) return value
    } catch (error) {
      last = error
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ""}`)
}

module.exports = { request, adminClient, shopper, firstVariant, openCart, checkout, waitFor }
