import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"

/**
 * How many events this process's event bus runs at once: the concurrency of Medusa's Redis event bus worker
 * (`workerOptions.concurrency`), or undefined where it runs none (the local event bus, a `server` process).
 * Medusa keeps that worker in a private field; a version that moves it gives undefined, and batches then wait
 * their linger as before.
 */
export function eventsInHand(container: MedusaContainer): number | undefined {
  try {
    const eventBus = container.resolve(Modules.EVENT_BUS) as { bullWorker_?: { opts?: { concurrency?: unknown } } }
    const concurrency = Number(eventBus.bullWorker_?.opts?.concurrency)
    return Number.isInteger(concurrency) && concurrency > 0 ? concurrency : undefined
  } catch {
    return undefined
  }
}
