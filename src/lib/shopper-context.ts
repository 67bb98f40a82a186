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

/** The container key under which a store request's scope carries its shopper (workflows run with req.scope). */
export const SHOPPER_REGISTRATION = "upliftShopper"

/** The part of a Medusa container that the lookups read: a workflow step's or a request's container. */
export interface ContainerLike {
  resolve<T = unknown>(key: string, options?: { allowUnregistered?: boolean }): T
}

// Two requests with different shoppers on one cart at once: neither may be taken for the other.
const UNDECIDABLE: ShopperContext = Object.freeze({ customerId: null })

/**
 * The store requests on each cart in flight in this process, with their shoppers. Medusa's cart routes run
 * their workflows through the workflow engine, whose container is not the request's, so a hook finds its
 * request's shopper by the cart it works on. A map and not an AsyncLocalStorage: on Node 20 an active one
 * makes every promise of the process dearer (about 5% of a cart update, docs/measurements.md, "Located afterwards").
 */
export class StoreCartRequests {
  private readonly byCart = new Map<string, ShopperContext[]>()

  /** Marks a store request on `cartId` as in flight with its shopper; returns the idempotent leave. */
  enter(cartId: string, shopper: ShopperContext): () => void {
    const inFlight = this.byCart.get(cartId)
    if (inFlight) inFlight.push(shopper)
    else this.byCart.set(cartId, [shopper])
    let left = false
    return () => {
      if (left) return
      left = true
      const current = this.byCart.get(cartId) ?? []
      const at = current.indexOf(shopper)
      if (at >= 0) current.splice(at, 1)
      if (!current.length) this.byCart.delete(cartId)
    }
  }

  /**
   * The shopper of the store request that the code working on `cartId` with `container` serves, or undefined
   * outside one (admin requests, subscribers, scheduled jobs). A cart's `customer_id` is not proof of a login:
   * Medusa links a guest cart that is given an email to the customer with that email, registered accounts
   * included. Concurrent requests on one cart by different shoppers give a guest.
   */
  shopper(container: ContainerLike, cartId: string | null | undefined): ShopperContext | undefined {
    const scoped = container.resolve<ShopperContext | undefined>(SHOPPER_REGISTRATION, { allowUnregistered: true })
    if (scoped) return scoped
    const inFlight = cartId ? this.byCart.get(cartId) : undefined
    if (!inFlight?.length) return undefined
    const [first] = inFlight
    return inFlight.every((shopper) => shopper.customerId === first.customerId) ? first : UNDECIDABLE
  }

  /**
   * Whether `customerId` may be treated as the one shopping on `cartId`: inside a store request only when it
   * is the authenticated actor; outside one (admin, jobs) undefined, for the caller to decide from what it knows.
   */
  isAuthenticated(container: ContainerLike, cartId: string | null | undefined, customerId: string | null | undefined): boolean | undefined {
    const shopper = this.shopper(container, cartId)
    if (!shopper) return undefined
    return Boolean(customerId) && shopper.customerId === customerId
  }

  /** The client signals the checkout request on `cartId` is capturing, or undefined (none, or not a store request). */
  clientSignals(container: ContainerLike, cartId: string | null | undefined): Promise<ClientSignals | null> | undefined {
    return this.shopper(container, cartId)?.clientSignals
  }
}
