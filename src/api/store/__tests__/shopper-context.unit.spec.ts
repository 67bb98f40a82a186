import http from "http"
import { AddressInfo } from "net"
import { asValue } from "@medusajs/framework/awilix"
import { createMedusaContainer } from "@medusajs/framework/utils"
import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { requestShopper } from "../shopper-context"
import { StoreCartRequests } from "../../../lib/shopper-context"
import { UPLIFT_MODULE } from "../../../modules/uplift"

const engine = createMedusaContainer()
// What the middleware reads of the uplift module: this process's cart requests in flight.
const requests = new StoreCartRequests()
engine.register(UPLIFT_MODULE, asValue({ storeCartRequests: requests }))
const servers: http.Server[] = []
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.close()
    server.closeAllConnections()
  }
})

/** A real HTTP server binding each request's shopper (customer cus_1, on cart_hangup), then handling it with `handle`. */
async function serve(handle: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const server = http.createServer((req, res) => {
    Object.assign(req, { scope: engine.createScope(), params: { id: "cart_hangup" }, auth_context: { actor_type: "customer", actor_id: "cus_1" } })
    requestShopper(req as unknown as MedusaRequest, res as unknown as MedusaResponse)
    handle(req, res)
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  return { server, port: (server.address() as AddressInfo).port }
}

describe("a store cart request's shopper", () => {
  it("stays with the cart's hooks after the client hangs up, until the handler answers", async () => {
    let answer!: () => void
    let hungUp!: () => void
    const hangup = new Promise<void>((resolve) => (hungUp = resolve))
    const { port } = await serve((_req, res) => {
      res.once("close", hungUp)
      answer = () => res.end("{}")
    })
    const request = http.request({ port, host: "127.0.0.1", method: "POST", path: "/store/carts/cart_hangup/complete" })
    request.on("error", () => undefined).end()
    setTimeout(() => request.destroy(), 50)
    await hangup
    // The checkout's hooks still run after the hang-up: they must see the logged-in shopper, not "no request".
    expect(requests.isAuthenticated(engine, "cart_hangup", "cus_1")).toBe(true)
    answer()
    expect(requests.isAuthenticated(engine, "cart_hangup", "cus_1")).toBeUndefined()
  })

  it("is bound once per request, so the fraud middleware's signals reach the same shopper", async () => {
    const { port } = await serve((req, res) => {
      const again = requestShopper(req as unknown as MedusaRequest, res as unknown as MedusaResponse)
      const signals = Promise.resolve({ ip_hash: "h", device_hash: null })
      again.clientSignals = signals
      const seen = requests.isAuthenticated(engine, "cart_hangup", "cus_1") && requests.clientSignals(engine, "cart_hangup") === signals
      res.end(JSON.stringify({ seen }))
    })
    const body = await new Promise<string>((resolve, reject) => {
      http.request({ port, host: "127.0.0.1", method: "POST", path: "/" }, (res) => {
        let text = ""
        res.on("data", (chunk) => (text += chunk)).on("end", () => resolve(text))
      }).on("error", reject).end()
    })
    expect(JSON.parse(body)).toEqual({ seen: true })
    expect(requests.isAuthenticated(engine, "cart_hangup", "cus_1")).toBeUndefined()
  })
})
