import type { IncomingMessage } from "http"
import { parseUpliftOptions } from "../../../../lib/options"
import { ClientSignalGate } from "../client-signals"

const request = (peer: string, forwardedFor?: string) =>
  ({ socket: { remoteAddress: peer }, connection: { remoteAddress: peer }, headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {} }) as unknown as IncomingMessage

describe("client signal gate", () => {
  it("reads the client IP through trusted proxies only", () => {
    const privateProxies = new ClientSignalGate(parseUpliftOptions({}))
    expect(privateProxies.ip(request("10.0.0.5", "198.51.100.4"))).toBe("198.51.100.4")
    expect(privateProxies.ip(request("10.0.0.5", "203.0.113.7, 198.51.100.4"))).toBe("198.51.100.4")
    expect(privateProxies.ip(request("198.51.100.4", "203.0.113.7"))).toBe("198.51.100.4")
    expect(privateProxies.ip(request("::ffff:127.0.0.1"))).toBe("127.0.0.1")
    const noProxy = new ClientSignalGate(parseUpliftOptions({ trustProxy: false }))
    expect(noProxy.ip(request("127.0.0.1", "203.0.113.7"))).toBe("127.0.0.1")
  })

  it("allows the configured writes per cart and per IP in a window (in memory without Redis)", async () => {
    const gate = new ClientSignalGate(parseUpliftOptions({ clientSignalRateLimit: { perIp: 3, perCart: 2, windowSeconds: 60 } }))
    expect(await gate.allows("ip-a", "cart_1")).toBe(true)
    expect(await gate.allows("ip-a", "cart_1")).toBe(true)
    expect(await gate.allows("ip-a", "cart_1")).toBe(false)
    expect(await gate.allows("ip-a", "cart_2")).toBe(false)
    expect(await gate.allows("ip-b", "cart_2")).toBe(true)
    await gate.close()
  })
})
