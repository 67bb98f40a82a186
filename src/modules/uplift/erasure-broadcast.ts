import IORedis from "ioredis"
import { withTimeout } from "../../lib/timeout"

export interface ErasureBroadcastConfig {
  redisUrl?: string
  prefix: string
  timeoutMs: number
  logger?: { warn(message: string): void }
  /** Called in this process for every erasure heard (its own and other processes'). */
  erased: (customerIds: string[]) => void
}

/**
 * Tells every process of the store that a customer was erased, through Redis pub/sub, so each drops what
 * it cached about the customer (recommendation rankings). Without Redis there is one process: it hears
 * its own erasures directly.
 */
export class ErasureBroadcast {
  private readonly channel: string
  private publisher?: IORedis
  private subscriber?: IORedis

  constructor(private readonly config: ErasureBroadcastConfig) {
    this.channel = `${config.prefix}:customer-erased`
  }

  /** Starts listening (every process, server and worker alike). */
  async listen(): Promise<void> {
    if (!this.config.redisUrl || this.subscriber) return
    this.subscriber = new IORedis(this.config.redisUrl, { connectTimeout: this.config.timeoutMs })
    this.subscriber.on("error", () => undefined)
    this.subscriber.on("message", (_channel: string, customerId: string) => this.config.erased([customerId]))
    await withTimeout(this.subscriber.subscribe(this.channel), this.config.timeoutMs).catch((error: Error) =>
      this.config.logger?.warn(`medusa-uplift: not listening for erasures yet (${error.message}); retrying as Redis reconnects`)
    )
  }

  /** Announces an erasure; this process drops its caches even when Redis does not answer. */
  async announce(customerId: string): Promise<void> {
    this.config.erased([customerId])
    if (!this.config.redisUrl) return
    try {
      const publisher = this.publisherConnection(this.config.redisUrl)
      if (publisher.status === "wait") await publisher.connect()
      await withTimeout(publisher.publish(this.channel, customerId), this.config.timeoutMs)
    } catch (error) {
      this.config.logger?.warn(`medusa-uplift: erasure of ${customerId} not broadcast to other processes (${(error as Error).message})`)
    }
  }

  private publisherConnection(redisUrl: string): IORedis {
    if (!this.publisher) {
      this.publisher = new IORedis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true, connectTimeout: this.config.timeoutMs })
      this.publisher.on("error", () => undefined)
    }
    return this.publisher
  }

  async close(): Promise<void> {
    this.subscriber?.disconnect()
    this.publisher?.disconnect()
  }
}
