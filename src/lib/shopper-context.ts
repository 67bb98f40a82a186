import { AsyncLocalStorage } from "async_hooks"

/** Who is shopping in the store request being served: the authenticated customer, or null for a guest. */
export interface ShopperContext {
  customerId: string | null
  /** The checkout's client signals as this request's middleware captures them (hashed; null: none taken). */
  clientSignals?: Promise<ClientSignals | null>
}

export interface ClientSignals {
  ip_hash: string | null
  device_hash: string | null
}

const storeRequests = new AsyncLocalStorage<ShopperContext>()

/** Runs `next` (the rest of a store request) with the request's authenticated shopper in scope. */
export function runAsShopper<T>(customerId: string | null, next: () => T): T {
  return storeRequests.run({ customerId }, next)
}

/**
 * The shopper of the store request this code runs in, or undefined outside a store request (admin
 * requests, subscribers, scheduled jobs). A cart's `customer_id` is not proof of a login: Medusa links a
 * guest cart that is given an email to the customer with that email, registered accounts included.
 */
export function currentShopper(): ShopperContext | undefined {
  return storeRequests.getStore()
}

/**
 * Whether `customerId` may be treated as the one shopping: inside a store request only when it is the
 * authenticated actor; outside one (admin, jobs) undefined, for the caller to decide from what it knows.
 */
export function isAuthenticatedShopper(customerId: string | null | undefined): boolean | undefined {
  const shopper = currentShopper()
  if (!shopper) return undefined
  return Boolean(customerId) && shopper.customerId === customerId
}

/** Hands the client signals being captured to the checkout of the same store request (no-op outside one). */
export function shareRequestClientSignals(signals: Promise<ClientSignals | null>): void {
  const shopper = currentShopper()
  if (shopper) shopper.clientSignals = signals
}

/** The client signals this store request's middleware is capturing, or undefined (none, or not a store request). */
export function requestClientSignals(): Promise<ClientSignals | null> | undefined {
  return currentShopper()?.clientSignals
}
