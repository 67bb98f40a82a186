import type { MedusaContainer } from "@medusajs/framework/types"
import { upliftService } from "../ingestion/enqueue"
import type { LoadedModel } from "./model-store"

/**
 * The stored states of these customers in the served model (rows of its registry version, read by primary
 * key), or none when the model holds its customers itself (older artifacts) or there is no model.
 */
export async function storedStates(container: MedusaContainer, loaded: LoadedModel | null, customerIds: string[]): Promise<Map<string, Uint8Array>> {
  if (!loaded?.artifact.customerStates) return new Map()
  return upliftService(container).registry.customerStates(loaded.id, customerIds)
}

/** A page of the served model's trained customers (id order, after `after`) with their states. */
export async function storedStatePage(container: MedusaContainer, loaded: LoadedModel, after: string | null, limit: number): Promise<{ customer_id: string; state: Uint8Array }[]> {
  return upliftService(container).registry.customerStatePage(loaded.id, after, limit)
}
