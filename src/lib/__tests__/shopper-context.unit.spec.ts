import { asValue, createContainer } from "@medusajs/framework/awilix"
import { SHOPPER_REGISTRATION, StoreCartRequests } from "../shopper-context"

// The workflow engine's container: a hook of a core cart route runs with it, not with the request's scope.
const engine = createContainer()
let requests: StoreCartRequests
beforeEach(() => (requests = new StoreCartRequests()))

describe("the shopper a cart workflow's hook serves", () => {
  it("is none outside a store request (jobs, admin) and the request's own on its cart", () => {
    expect(requests.shopper(engine, "cart_a")).toBeUndefined()
    const leave = requests.enter("cart_a", { customerId: "cus_1" })
    expect(requests.shopper(engine, "cart_a")?.customerId).toBe("cus_1")
    expect(requests.shopper(engine, "cart_b")).toBeUndefined()
    leave()
    expect(requests.shopper(engine, "cart_a")).toBeUndefined()
  })

  it("is a guest while a guest and the cart's customer both have a request on the cart (neither borrows the login)", () => {
    const victim = requests.enter("cart_a", { customerId: "cus_victim" })
    const attacker = requests.enter("cart_a", { customerId: null })
    expect(requests.isAuthenticated(engine, "cart_a", "cus_victim")).toBe(false)
    attacker()
    expect(requests.isAuthenticated(engine, "cart_a", "cus_victim")).toBe(true)
    victim()
  })

  it("stays the customer across two requests of that customer, and a leave removes only its own request", () => {
    const first = requests.enter("cart_a", { customerId: "cus_1" })
    const second = requests.enter("cart_a", { customerId: "cus_1" })
    expect(requests.isAuthenticated(engine, "cart_a", "cus_1")).toBe(true)
    first()
    first()
    expect(requests.isAuthenticated(engine, "cart_a", "cus_1")).toBe(true)
    second()
    expect(requests.isAuthenticated(engine, "cart_a", "cus_1")).toBeUndefined()
  })

  it("is the request scope's shopper where the workflow runs with that scope (cart creation, before any cart id)", () => {
    const scope = engine.createScope()
    scope.register(SHOPPER_REGISTRATION, asValue({ customerId: "cus_1" }))
    expect(requests.isAuthenticated(scope, undefined, "cus_1")).toBe(true)
    expect(requests.isAuthenticated(scope, undefined, "cus_2")).toBe(false)
    expect(requests.isAuthenticated(engine, undefined, "cus_1")).toBeUndefined()
  })
})
