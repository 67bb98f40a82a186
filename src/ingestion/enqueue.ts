import type { MedusaContainer } from "@medusajs/framework/types"
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
