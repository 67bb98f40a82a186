import type { IncomingMessage } from "http"
import proxyaddr from "proxy-addr"

export type TrustProxySetting = boolean | number | string | string[]
type TrustFunction = (address: string, hop: number) => boolean

/** Proxies on private networks: a load balancer in the same network is trusted, a client on the internet is not. */
export const TRUST_PRIVATE_NETWORKS = ["loopback", "linklocal", "uniquelocal"] as const

/** Express's `trust proxy` values compiled the way Express compiles them; throws on a bad address. */
export function compileTrustedProxies(setting: TrustProxySetting): TrustFunction {
  if (setting === true) return () => true
  if (setting === false) return () => false
  if (typeof setting === "number") return (_address, hop) => hop < setting
  const list = typeof setting === "string" ? setting.split(",").map((entry) => entry.trim()) : setting
  return proxyaddr.compile(list)
}

/**
 * The client's address: the socket's peer, then X-Forwarded-For entries from the right only while the
 * hop that added them is trusted (Express's req.ip with this setting). Medusa sets `trust proxy` to 1 for
 * the whole app, which takes a forged X-Forwarded-For from any client connecting directly.
 */
export function clientIp(req: IncomingMessage, trust: TrustFunction): string | null {
  if (!req.socket?.remoteAddress) return null
  return proxyaddr(req, trust) || null
}
