import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { UPLIFT_MODULE } from "../modules/uplift"
import type UpliftModuleService from "../modules/uplift/service"
import { digest } from "../lib/hashing"
import type { InteractionInput } from "../modules/uplift/types"

export function upliftService(container: MedusaContainer): UpliftModuleService {
  return container.resolve<UpliftModuleService>(UPLIFT_MODULE)
}

/**
 * Queues an event's interactions. The job id is the event name and the digest of what it recorded, so a
 * redelivered event (same content) is one job and its rows are stored once.
 */
export async function enqueueInteractions(
  container: MedusaContainer,
  eventName: string,
  entityId: string,
  records: InteractionInput[]
): Promise<void> {
  const keys = records.map((record) => record.dedupe_key).sort()
  await upliftService(container).enqueueInteractions(`${eventName}:${entityId}:${digest(keys)}`, records)
}

/** Queues the interactions of a batch of events as one job (see the uplift service). */
export async function enqueueBatch(container: MedusaContainer, records: InteractionInput[]): Promise<void> {
  await upliftService(container).enqueueInteractionBatch(records)
}

/**
 * Stores the interactions of a batch of events at once, without a queue hop (the event bus already queued
 * and ran the events). Where that fails (Postgres unreachable, a timeout) the batch is queued instead
 * (Redis, else the outbox, else in-process), so none is dropped; rows written before the failure are not
 * written twice (the dedupe key is unique).
 */
export async function storeBatch(container: MedusaContainer, records: InteractionInput[]): Promise<void> {
  const uplift = upliftService(container)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  await storeOrQueue(records, {
    store: (batch) => uplift.storeInteractionBatch(batch),
    enqueue: (batch) => uplift.enqueueInteractionBatch(batch),
    warn: (message) => logger.warn(message),
  })
}

export interface StoreOrQueue {
  store(records: InteractionInput[]): Promise<unknown>
  enqueue(records: InteractionInput[]): Promise<void>
  warn(message: string): void
}

export async function storeOrQueue(records: InteractionInput[], { store, enqueue, warn }: StoreOrQueue): Promise<void> {
  if (!records.length) return
  try {
    await store(records)
  } catch (error) {
    warn(`medusa-uplift: ${records.length} interactions not stored now (${(error as Error).message}); queued instead`)
    await enqueue(records)
  }
}
