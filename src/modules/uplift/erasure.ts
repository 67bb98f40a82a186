import type { Knex } from "knex"
import { generateEntityId } from "@medusajs/framework/utils"
import type { JobRewriteResult } from "./queue/job-queue"
import { JOB_NAMES, TRAIN_JOB } from "./types"

const ERASED = "uplift_erased_customer"

/**
 * A job without the erased customer's data: a refresh of that customer goes, an ingestion job loses that
 * customer's records (and goes when nothing else is left), a training job loses that customer's logged
 * decisions (the run still trains on the others). Other jobs carry no customer data.
 */
export function withoutCustomer(name: string, data: Record<string, unknown>, customerId: string): JobRewriteResult {
  if (name === JOB_NAMES.refreshCustomer) return data.customer_id === customerId ? { action: "remove" } : { action: "keep" }
  if (name === TRAIN_JOB) {
    if (!Array.isArray(data.decisions)) return { action: "keep" }
    const decisions = data.decisions as { customer_id?: string | null }[]
    const kept = decisions.filter((decision) => decision.customer_id !== customerId)
    return kept.length === decisions.length ? { action: "keep" } : { action: "update", data: { ...data, decisions: kept } }
  }
  if (name !== JOB_NAMES.ingestInteractions || !Array.isArray(data.records)) return { action: "keep" }
  const records = data.records as { customer_id?: string | null }[]
  const kept = records.filter((record) => record.customer_id !== customerId)
  if (kept.length === records.length) return { action: "keep" }
  return kept.length ? { action: "update", data: { ...data, records: kept } } : { action: "remove" }
}

/**
 * Serialises writes of a customer's data against that customer's erasure: writers hold the shared lock
 * for their transaction, the erasure the exclusive one. A writer that started first finishes before the
 * erasure deletes; one that comes after sees the tombstone. Interaction rows take the same locks inside the
 * SQL function uplift_insert_interactions (migration Migration20261203080000): keep the two in step.
 */
export async function lockCustomers(trx: Knex.Transaction, customerIds: string[], mode: "shared" | "exclusive"): Promise<void> {
  if (!customerIds.length) return
  const fn = mode === "shared" ? "pg_advisory_xact_lock_shared" : "pg_advisory_xact_lock"
  await trx.raw(`select ${fn}(hashtext('uplift-customer-erasure'), hashtext(id)) from unnest(?::text[]) as id order by id`, [
    [...new Set(customerIds)],
  ])
}

/** The customers among these that were erased. */
async function erasedAmong(trx: Knex.Transaction, customerIds: string[]): Promise<Set<string>> {
  if (!customerIds.length) return new Set()
  const rows = await trx(ERASED).whereIn("customer_id", customerIds).whereNull("deleted_at").select("customer_id")
  return new Set(rows.map((row: { customer_id: string }) => row.customer_id))
}

/**
 * Runs a write of these customers' data in a transaction that holds their shared erasure locks, and
 * names the ones already erased, whose data the write must leave out.
 */
export async function writeUnlessErased<T>(
  db: Knex,
  customerIds: Iterable<string | null | undefined>,
  write: (trx: Knex.Transaction, erased: Set<string>) => Promise<T>
): Promise<T> {
  const ids = [...new Set([...customerIds].filter(Boolean) as string[])]
  return db.transaction(async (trx) => {
    await lockCustomers(trx, ids, "shared")
    return write(trx, await erasedAmong(trx, ids))
  })
}

export async function recordErasure(trx: Knex.Transaction, customerId: string): Promise<void> {
  await trx.raw(`? on conflict (customer_id) where deleted_at is null do nothing`, [
    trx(ERASED).insert({ id: generateEntityId(undefined, "uera"), customer_id: customerId }),
  ])
}
