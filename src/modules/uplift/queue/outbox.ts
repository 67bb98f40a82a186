import { generateEntityId } from "@medusajs/framework/utils"
import type { Knex } from "knex"
import type { JobOutbox, JobQueue, JobRewriteResult } from "./job-queue"

const OUTBOX = "uplift_outbox_job"
const BATCH = 200

export function postgresOutbox(db: () => Knex): JobOutbox {
  return {
    async save(queue, name, data, jobId) {
      await db()(OUTBOX).insert({ id: generateEntityId(undefined, "uobx"), queue, name, job_id: jobId, data: JSON.stringify(data) })
    },
  }
}

/**
 * Moves outbox rows to their queues. Rows are locked with SKIP LOCKED, so several processes can relay
 * at once without delivering a row twice; BullMQ's job ids make a repeated delivery harmless anyway.
 * Returns how many were delivered; stops at the first Redis failure.
 */
export async function relayOutbox(db: Knex, queues: JobQueue[]): Promise<number> {
  return db.transaction(async (trx) => {
    const rows = await trx(OUTBOX).orderBy("created_at").limit(BATCH).forUpdate().skipLocked()
    let delivered = 0
    for (const row of rows) {
      const queue = queues.find((candidate) => candidate.name === row.queue)
      try {
        if (!queue) throw new Error(`unknown queue ${row.queue}`)
        await queue.addToRedis(row.name, row.data, row.job_id)
        await trx(OUTBOX).where({ id: row.id }).delete()
        delivered++
      } catch (error) {
        await trx(OUTBOX).where({ id: row.id }).update({ attempts: row.attempts + 1, last_error: (error as Error).message })
        break
      }
    }
    return delivered
  })
}

/** Rewrites or removes outbox rows (e.g. an erased customer's data taken out); returns how many changed. */
export async function rewriteOutbox(
  trx: Knex.Transaction,
  mentioning: string,
  rewrite: (name: string, data: Record<string, unknown>) => JobRewriteResult
): Promise<number> {
  const rows = await trx(OUTBOX).whereRaw("data::text like ?", [`%${mentioning}%`]).forUpdate()
  let changed = 0
  for (const row of rows) {
    const result = rewrite(row.name, row.data)
    if (result.action === "remove") await trx(OUTBOX).where({ id: row.id }).delete()
    if (result.action === "update") await trx(OUTBOX).where({ id: row.id }).update({ data: JSON.stringify(result.data) })
    if (result.action !== "keep") changed++
  }
  return changed
}
