import { digest } from "../../../lib/hashing"
import type { InteractionInput } from "../types"

/**
 * The ingestion job of a batch of events' interactions: each dedupe key once (a cart created and updated in
 * the same batch records its lines once), and an id that is the digest of the keys, so a batch delivered
 * again with the same content (in any order) is the same job, which the queue runs once.
 */
export function interactionBatchJob(records: InteractionInput[]): { jobId: string; records: InteractionInput[] } {
  const unique = [...new Map(records.map((record) => [record.dedupe_key, record])).values()]
  return { jobId: `batch:${digest(unique.map((record) => record.dedupe_key).sort())}`, records: unique }
}
