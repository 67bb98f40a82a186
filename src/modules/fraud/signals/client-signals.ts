import type { IncomingMessage } from "http"
import IORedis from "ioredis"
import type { UpliftOptions } from "../../../lib/options"
import { withTimeout } from "../../../lib/timeout"
import { clientIp, compileTrustedProxies } from "../../../lib/trusted-proxies"
import { normalizeIp } from "./identity"

/** Counts hits of a key in the current fixed window; resolves to the count including this hit. */
interface WindowCounter {
  hit(key: string, windowSeconds: number): Promise<number>
  close(): Promise<void>
}

const MEMORY_KEYS = 50_000

/** One process's counters, for stores without Redis; bounded, expired windows go first. */
class MemoryWindowCounter implements WindowCounter {
  private readonly counts = new Map<string, { count: number; expiresAt: number }>()

  async hit(key: string, windowSeconds: number): Promise<number> {
    const now = Date.now()
    const entry = this.counts.get(key)
    if (entry && entry.expiresAt > now) return ++entry.count
    this.counts.delete(key)
    if (this.counts.size >= MEMORY_KEYS) this.evict(now)
    this.counts.set(key, { count: 1, expiresAt: now + windowSeconds * 1_000 })
    return 1
  }

  private evict(now: number): void {
    for (const [key, entry] of this.counts) if (entry.expiresAt <= now) this.counts.delete(key)
    if (this.counts.size >= MEMORY_KEYS) this.counts.delete(this.counts.keys().next().value as string)
  }

  async close(): Promise<void> {
    this.counts.clear()
  }
}

/** Counters shared by every process: INCR, and EXPIRE on the window's first hit. */
class RedisWindowCounter implements WindowCounter {
  private readonly redis: IORedis

  constructor(url: string, private readonly prefix: string, private readonly timeoutMs: number) {
    this.redis = new IORedis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: timeoutMs })
    this.redis.on("error", () => undefined)
  }

  async hit(key: string, windowSeconds: number): Promise<number> {
    if (this.redis.status === "wait") await this.redis.connect().catch(() => undefined)
    const fullKey = `${this.prefix}:signal-rate:${key}`
    const result = await withTimeout(this.redis.multi().incr(fullKey).expire(fullKey, windowSeconds, "NX").exec(), this.timeoutMs)
    const [error, count] = result?.[0] ?? [new Error("no reply"), 0]
    if (error) throw error
    return Number(count)
  }

  async close(): Promise<void> {
    this.redis.disconnect()
  }
}

/**
 * Where client signals come from and how often they may be written: the client IP through the trusted
 * proxy chain (option trustProxy), and a fixed-window limit per IP and per cart (option
 * clientSignalRateLimit) so that nobody can flood the signals table.
 */
export class ClientSignalGate {
  private readonly trust: ReturnType<typeof compileTrustedProxies>
  private readonly counter: WindowCounter
  private readonly limit: UpliftOptions["clientSignalRateLimit"]

  constructor(options: UpliftOptions) {
    this.trust = compileTrustedProxies(options.trustProxy)
    this.limit = options.clientSignalRateLimit
    this.counter = options.redisUrl
      ? new RedisWindowCounter(options.redisUrl, options.queuePrefix, options.queueTimeoutMs)
      : new MemoryWindowCounter()
  }

  /** The client's IP as the trusted proxies report it (a forged X-Forwarded-For from an untrusted peer is ignored). */
  ip(req: IncomingMessage): string | null {
    return normalizeIp(clientIp(req, this.trust))
  }

  /**
   * Counts this write against the IP's and the cart's windows; false once either is over its limit. The
   * IP is given as its digest so no raw address reaches Redis. When Redis does not answer the write is
   * allowed: the limit protects capacity, the signal protects the store.
   */
  async allows(ipHash: string | null, cartId: string): Promise<boolean> {
    const window = Math.floor(Date.now() / 1_000 / this.limit.windowSeconds)
    const seconds = this.limit.windowSeconds
    try {
      const [perIp, perCart] = await Promise.all([
        ipHash ? this.counter.hit(`ip:${ipHash}:${window}`, seconds) : Promise.resolve(0),
        this.counter.hit(`cart:${cartId}:${window}`, seconds),
      ])
      return perIp <= this.limit.perIp && perCart <= this.limit.perCart
    } catch {
      return true
    }
  }

  close(): Promise<void> {
    return this.counter.close()
  }
}
