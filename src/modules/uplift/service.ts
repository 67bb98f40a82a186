import { MedusaService, generateEntityId } from "@medusajs/framework/utils"
import type { Knex } from "knex"
import { preparedQuery, preparedStatement } from "../../lib/prepared-statements"
import { CustomerProfile } from "./models/customer-profile"
import { Interaction } from "./models/interaction"
import { ModelVersion } from "./models/model-version"
import { TrainingRun } from "./models/training-run"
import { OutboxJob } from "./models/outbox-job"
import { ErasedCustomer } from "./models/erased-customer"
import { ErasureBroadcast } from "./erasure-broadcast"
import { lockCustomers, recordErasure, withoutCustomer, writeUnlessErased } from "./erasure"
import { relayOutbox, rewriteOutbox } from "./queue/outbox"
import { UpliftOptions } from "../../lib/options"
import { JobQueue } from "./queue/job-queue"
import { interactionBatchJob } from "./queue/batch-job"
import { digest, hashIdentifier } from "../../lib/hashing"
import { KnownCategories } from "./known-categories"
import { entityIds } from "../../lib/ids"
import { InteractionHistory } from "./history"
import { BATCH_SCORE_JOB, ModelKind, ModelRegistry, TRAIN_JOB } from "./training/model-registry"
import { CustomerProfileInput, InteractionInput, JOB_NAMES } from "./types"
import { StoreCartRequests } from "../../lib/shopper-context"

type InjectedDependencies = {
  __pg_connection__: Knex
  upliftOptions: UpliftOptions
  upliftWorkerMode: string
  upliftEventsQueue?: JobQueue
  upliftTrainingQueue?: JobQueue
  logger?: { warn(message: string): void; info(message: string): void }
}

const INSERT_CHUNK = 1_000

const LEGACY_SCHEDULERS = ["retrain-propensity", "retrain-response", "batch-score"]
const OUTBOX_RELAY_MS = 2_000

export interface CustomerErasure {
  interactions: number
  profiles: number
  outbox_jobs: number
  queued_jobs: number
}

export interface PurchaseHistory {
  order_count: number
  total_spent: number
  last_order_at: Date | null
}

export interface OfferHistory {
  purchases: { at: number; orderId: string | null; productId: string | null; value: number }[]
  signedUpAt: number | null
  /** The profile's metadata attributes (option profileAttributes), as strings. */
  attributes: Record<string, string | null>
}

/** One interaction line as a report reads it (customerLines). */
export interface CustomerLine {
  customer_id: string
  kind: string
  order_id: string | null
  value: number
  occurred_at: Date
}

class UpliftModuleService extends MedusaService({ Interaction, CustomerProfile, ModelVersion, TrainingRun, OutboxJob, ErasedCustomer }) {
  protected readonly db_: Knex
  protected readonly logger_?: InjectedDependencies["logger"]
  readonly options: UpliftOptions
  readonly workerMode: string
  readonly eventsQueue?: JobQueue
  readonly trainingQueue?: JobQueue
  readonly registry: ModelRegistry
  /** Reads of the interaction history for the storefront recommender, and this process's history-change signal. */
  readonly history: InteractionHistory
  /** Product category names the offer features read, kept per process (see KnownCategories). */
  readonly knownCategories = new KnownCategories()
  /** The store cart requests in flight in this process, for the cart workflows' hooks to know their shopper. */
  readonly storeCartRequests = new StoreCartRequests()
  private readonly erasures: ErasureBroadcast
  private outboxTimer?: NodeJS.Timeout
  private eventBatchers_?: unknown

  constructor(deps: InjectedDependencies) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    this.db_ = deps.__pg_connection__
    this.logger_ = deps.logger
    this.options = deps.upliftOptions
    this.workerMode = deps.upliftWorkerMode
    this.eventsQueue = deps.upliftEventsQueue
    this.trainingQueue = deps.upliftTrainingQueue
    this.registry = new ModelRegistry(this.db_, this.trainingQueue, this.options)
    this.history = new InteractionHistory(this.db_)
    this.erasures = new ErasureBroadcast({
      redisUrl: this.options.redisUrl,
      prefix: this.options.queuePrefix,
      timeoutMs: this.options.queueTimeoutMs,
      logger: this.logger_,
      erased: (customerIds) => this.history.erased(customerIds),
    })
  }

  __hooks = {
    onApplicationStart: async () => {
      const runWorker = this.workerMode !== "server"
      const processor = (name: string, data: Record<string, unknown>) => this.processJob(name, data)
      this.eventsQueue?.startProcessing(processor, { runWorker })
      this.trainingQueue?.startProcessing(processor, { runWorker })
      if (runWorker) {
        await this.removeLegacySchedulers()
      }
      await this.erasures.listen()
      if (this.eventsQueue?.usesRedis) {
        this.outboxTimer = setInterval(() => void this.deliverOutbox().catch(() => undefined), OUTBOX_RELAY_MS)
        this.outboxTimer.unref()
      }
    },
    onApplicationShutdown: async () => {
      clearInterval(this.outboxTimer)
      await Promise.all([this.eventsQueue?.close(), this.trainingQueue?.close(), this.erasures.close()])
    },
  }

  /**
   * Stores interactions; a record whose dedupe_key exists is skipped, and so is one of an erased customer.
   * Returns how many were new.
   */
  async recordInteractions(records: InteractionInput[]): Promise<number> {
    let inserted = 0
    for (let start = 0; start < records.length; start += INSERT_CHUNK) {
      const chunk = records.slice(start, start + INSERT_CHUNK)
      const ids = entityIds("uint", chunk.length)
      const rows = JSON.stringify(chunk.map((record, i) => toInteractionRow(record, ids[i])))
      // One statement: the erasure locks, then the insert (migration Migration20261203080000).
      const stored = await insertInteractionsStatement(this.db_, [rows])
      inserted += stored.length
      if (stored.length) this.history.changed(stored.map((row: { customer_id: string | null }) => row.customer_id))
    }
    return inserted
  }

  /** Queues interactions for ingestion; the same job id (same event content) is stored once. */
  async enqueueInteractions(jobId: string, records: InteractionInput[]): Promise<void> {
    if (!records.length) {
      return
    }
    await this.requireQueue(this.eventsQueue).add(JOB_NAMES.ingestInteractions, { records }, { jobId })
  }

  /**
   * Queues the interactions of a batch of events as one job. A record repeated in the batch is queued once;
   * a redelivered batch with the same content is the same job, and one composed differently stores only
   * the rows not stored yet (the dedupe key is unique).
   */
  async enqueueInteractionBatch(records: InteractionInput[]): Promise<void> {
    const job = interactionBatchJob(records)
    await this.enqueueInteractions(job.jobId, job.records)
  }

  /**
   * Stores the interactions of a batch of events now, in this process, as their queued job would (rows,
   * then purchase-stats refreshes queued for the buyers). Returns how many rows were new.
   */
  async storeInteractionBatch(records: InteractionInput[]): Promise<number> {
    return this.ingest(records)
  }

  /**
   * Creates or updates a customer's profile. Attributes are merged into what the plugin derived (stats,
   * next purchases); the merchant-selected metadata keys (option profileAttributes) are replaced as a
   * whole, so a key removed from the customer's metadata leaves the profile too.
   */
  async upsertCustomerProfile(input: CustomerProfileInput): Promise<void> {
    await this.upsertCustomerProfiles([input])
  }

  /**
   * Profiles in one statement per chunk; an erased customer's input is dropped. Metadata attributes the merchant
   * listed in profileAttributes are replaced, others kept. The last input of a customer wins.
   */
  async upsertCustomerProfiles(inputs: CustomerProfileInput[]): Promise<void> {
    const updatedAt = new Date()
    const byCustomer = new Map(inputs.map((input) => [input.customer_id, {
      id: generateEntityId(undefined, "ucpr"),
      customer_id: input.customer_id,
      email_hash: input.email ? hashIdentifier(input.email, this.options.hashSalt) : null,
      has_account: input.has_account ?? false,
      signed_up_at: input.signed_up_at ? new Date(input.signed_up_at) : null,
      attributes: input.attributes ? JSON.stringify(input.attributes) : null,
      updated_at: updatedAt,
    }]))
    const updates = ["email_hash", "has_account", "signed_up_at", "updated_at"].map((column) => `"${column}" = excluded."${column}"`)
    const attributes = `"attributes" = (coalesce(uplift_customer_profile.attributes, '{}'::jsonb) - ?::text[]) || coalesce(excluded.attributes, '{}'::jsonb)`
    const rows = [...byCustomer.values()]
    for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
      const chunk = rows.slice(start, start + INSERT_CHUNK)
      await writeUnlessErased(this.db_, chunk.map((row) => row.customer_id), async (trx, erased) => {
        const kept = chunk.filter((row) => !erased.has(row.customer_id))
        if (!kept.length) return
        await trx.raw(`? on conflict (customer_id) where deleted_at is null do update set ${[...updates, attributes].join(", ")}`, [
          trx("uplift_customer_profile").insert(kept),
          this.options.profileAttributes,
        ])
      })
    }
  }

  /** The customer metadata a profile may keep: only the keys the merchant listed in profileAttributes. */
  profileAttributes(metadata: Record<string, unknown> | null | undefined): Record<string, unknown> {
    const keep = this.options.profileAttributes
    return Object.fromEntries(Object.entries(metadata ?? {}).filter(([key]) => keep.includes(key)))
  }

  /**
   * Right to erasure: leaves a tombstone (ingestion refuses the customer from then on), deletes the
   * customer's interactions and profile, takes their data out of the outbox and the queues, and tells
   * every process to drop what it cached about them. Idempotent.
   */
  async eraseCustomer(customerId: string): Promise<CustomerErasure> {
    const onlyOthers = (name: string, data: Record<string, unknown>) => withoutCustomer(name, data, customerId)
    const stored = await this.db_.transaction(async (trx) => {
      await lockCustomers(trx, [customerId], "exclusive")
      await recordErasure(trx, customerId)
      // Trained recommenders' copies of the customer's history and embedding (every version: a rollback too).
      await trx("uplift_model_customer_state").where({ customer_id: customerId }).delete()
      return {
        outbox_jobs: await rewriteOutbox(trx, customerId, onlyOthers),
        interactions: await trx("uplift_interaction").where({ customer_id: customerId }).delete(),
        profiles: await trx("uplift_customer_profile").where({ customer_id: customerId }).delete(),
      }
    })
    // After the commit, so a job the outbox relay moved to Redis meanwhile is found there.
    const queues = [this.eventsQueue, this.trainingQueue].filter(Boolean) as JobQueue[]
    const queued = await Promise.all(queues.map((queue) => this.rewriteQueuedJobs(queue, onlyOthers)))
    await this.erasures.announce(customerId)
    return { ...stored, queued_jobs: queued.reduce((sum, n) => sum + n, 0) }
  }

  /** A queue Redis cannot reach now keeps its jobs: the tombstone makes running them harmless. */
  private async rewriteQueuedJobs(queue: JobQueue, rewrite: Parameters<JobQueue["rewriteJobs"]>[0]): Promise<number> {
    try {
      return await queue.rewriteJobs(rewrite)
    } catch (error) {
      this.logger_?.warn(`medusa-uplift: queue ${queue.name} not purged of an erased customer's jobs (${(error as Error).message})`)
      return 0
    }
  }

  /**
   * This application's event batchers (src/ingestion: events arriving together share one read and one
   * queued job), created by their first user: they live as long as the module, never in a file's top level.
   */
  eventBatchers<T>(create: () => T): T {
    return (this.eventBatchers_ ??= create()) as T
  }

  async processJob(name: string, data: Record<string, unknown>): Promise<unknown> {
    switch (name) {
      case JOB_NAMES.ingestInteractions:
        return this.ingest(data.records as InteractionInput[])
      case JOB_NAMES.refreshCustomer:
        return this.refreshCustomerStats(data.customer_id as string)
      case TRAIN_JOB:
        return this.registry.runTraining(data as { run_id?: string; model: ModelKind })
      case BATCH_SCORE_JOB:
        return this.registry.runBatchScoring()
      default:
        throw new Error(`medusa-uplift: unknown job ${name}`)
    }
  }

  /**
   * Interaction lines of many customers (purchases, cancels, returns) and their sign-up times, as plain rows
   * in two indexed reads: what a policy report joins its decisions with (thousands of customers and their
   * whole history would take seconds to hydrate as entities).
   */
  async customerLines(customerIds: string[], kinds: string[]): Promise<{ lines: CustomerLine[]; signedUpAt: Map<string, number | null> }> {
    if (!customerIds.length) return { lines: [], signedUpAt: new Map() }
    const [lines, profiles] = await Promise.all([
      this.db_("uplift_interaction")
        .whereRaw("customer_id = any(?::text[])", [customerIds])
        .whereRaw("kind = any(?::text[])", [kinds])
        .whereNull("deleted_at")
        .select("customer_id", "kind", "order_id", "value", "occurred_at"),
      this.db_("uplift_customer_profile").whereRaw("customer_id = any(?::text[])", [customerIds]).whereNull("deleted_at").select("customer_id", "signed_up_at"),
    ])
    return {
      lines: lines.map((row: any) => ({ customer_id: row.customer_id, kind: row.kind, order_id: row.order_id, value: Number(row.value), occurred_at: row.occurred_at })),
      signedUpAt: new Map(profiles.map((row: any) => [row.customer_id as string, row.signed_up_at ? new Date(row.signed_up_at).getTime() : null])),
    }
  }

  /** A customer's purchase history in numbers: what eligibility rounds and features read. */
  async purchaseHistory(customerId: string): Promise<PurchaseHistory> {
    const [stats] = await this.db_("uplift_interaction")
      .where({ customer_id: customerId, kind: "purchase" })
      .select(
        this.db_.raw("count(distinct order_id)::int as order_count"),
        this.db_.raw("coalesce(sum(value), 0)::float as total_spent"),
        this.db_.raw("max(occurred_at) as last_order_at")
      )
    return stats
  }

  /**
   * What the offer features read about a shopper, in one statement of two indexed reads: every purchase
   * line (the feature builder keeps those before the decision instant) and the profile (sign-up, the
   * merchant-selected metadata attributes). Instants in whole milliseconds, as a plain select gives them.
   */
  async offerHistory(customerId: string): Promise<OfferHistory> {
    const millis = (column: string) => `(extract(epoch from date_trunc('milliseconds', ${column})) * 1000)::bigint`
    const rows = await preparedQuery(this.db_, this.db_.raw(
      `select
         (select coalesce(json_agg(json_build_object('at', ${millis("occurred_at")}, 'order_id', order_id, 'product_id', product_id, 'value', value)), '[]'::json)
           from uplift_interaction where customer_id = :customer and kind = 'purchase' and deleted_at is null) as purchases,
         (select json_build_object('signed_up_at', ${millis("signed_up_at")}, 'attributes', attributes)
           from uplift_customer_profile where customer_id = :customer and deleted_at is null limit 1) as profile`,
      { customer: customerId }
    ))
    const { purchases, profile } = rows[0] as { purchases: any[]; profile: { signed_up_at: number | null; attributes: Record<string, unknown> | null } | null }
    const { stats: _stats, ...attributes } = (profile?.attributes ?? {}) as Record<string, unknown>
    return {
      purchases: purchases.map((row) => ({ at: Number(row.at), orderId: row.order_id, productId: row.product_id, value: Number(row.value) })),
      signedUpAt: profile?.signed_up_at === null || profile?.signed_up_at === undefined ? null : Number(profile.signed_up_at),
      attributes: Object.fromEntries(Object.entries(attributes).map(([key, value]) => [key, value === null || value === undefined ? null : String(value)])),
    }
  }

  /** Purchase history summary kept on the profile: the features the decision and risk paths read. */
  async refreshCustomerStats(customerId: string): Promise<PurchaseHistory> {
    return (await this.refreshCustomersStats([customerId])).get(customerId)!
  }

  /** The purchase stats of many customers (as purchaseHistory gives them) into their profiles, one read and one write per chunk. */
  async refreshCustomersStats(customerIds: string[]): Promise<Map<string, PurchaseHistory>> {
    const statsOf = new Map<string, PurchaseHistory>()
    const ids = [...new Set(customerIds)]
    for (let start = 0; start < ids.length; start += INSERT_CHUNK) {
      const chunk = ids.slice(start, start + INSERT_CHUNK)
      for (const id of chunk) statsOf.set(id, { order_count: 0, total_spent: 0, last_order_at: null })
      const rows = await this.db_("uplift_interaction")
        .whereIn("customer_id", chunk)
        .where({ kind: "purchase" })
        .groupBy("customer_id")
        .select(
          "customer_id",
          this.db_.raw("count(distinct order_id)::int as order_count"),
          this.db_.raw("coalesce(sum(value), 0)::float as total_spent"),
          this.db_.raw("max(occurred_at) as last_order_at")
        )
      for (const { customer_id, ...stats } of rows) statsOf.set(customer_id, stats)
      const refreshed = chunk.map((customer_id) => ({ customer_id, stats: statsOf.get(customer_id) }))
      await this.db_.raw(
        `update uplift_customer_profile p
            set attributes = coalesce(p.attributes, '{}'::jsonb) || jsonb_build_object('stats', v.stats), updated_at = now()
           from jsonb_to_recordset(?::jsonb) as v(customer_id text, stats jsonb)
          where p.customer_id = v.customer_id`,
        [JSON.stringify(refreshed)]
      )
    }
    return statsOf
  }

  async status(): Promise<Record<string, unknown>> {
    const [{ interactions }] = await this.db_("uplift_interaction").count({ interactions: "*" })
    const [{ profiles }] = await this.db_("uplift_customer_profile").count({ profiles: "*" })
    return {
      queue_mode: this.eventsQueue?.usesRedis ? "bullmq" : "in-process",
      queue_prefix: this.options.queuePrefix,
      worker_mode: this.workerMode,
      execution_providers: this.options.executionProviders,
      interactions: Number(interactions),
      customer_profiles: Number(profiles),
    }
  }

  /**
   * Stores a batch of interactions, then refreshes the purchase stats of the customers who bought in it.
   * A refresh's job id is the customer and the purchases that prompted it: a redelivered batch refreshes
   * once, and a later purchase always refreshes again (a time bucket would drop it for a while).
   */
  private async ingest(records: InteractionInput[]): Promise<number> {
    const inserted = await this.recordInteractions(records)
    const purchasesByBuyer = new Map<string, string[]>()
    for (const record of records) {
      if (record.kind !== "purchase" || !record.customer_id) continue
      purchasesByBuyer.set(record.customer_id, [...(purchasesByBuyer.get(record.customer_id) ?? []), record.dedupe_key])
    }
    for (const [customerId, keys] of purchasesByBuyer) {
      await this.requireQueue(this.eventsQueue).add(
        JOB_NAMES.refreshCustomer,
        { customer_id: customerId },
        { jobId: `refresh:${customerId}:${digest(keys.sort())}` }
      )
    }
    return inserted
  }

  /** Delivers jobs kept in the outbox while Redis was down; returns how many reached Redis. */
  async deliverOutbox(): Promise<number> {
    const queues = [this.eventsQueue, this.trainingQueue].filter(Boolean) as JobQueue[]
    return relayOutbox(this.db_, queues)
  }

  /** Depths of the plugin's queues and their latest failed jobs, for operators. */
  async queueOverview(): Promise<Record<string, unknown>[]> {
    const queues = [this.eventsQueue, this.trainingQueue].filter(Boolean) as JobQueue[]
    return Promise.all(
      queues.map(async (queue) => {
        const bull = queue.bullQueue
        if (!bull) {
          return { name: queue.name, mode: "in-process", counts: null, failed: [] }
        }
        const counts = await bull.getJobCounts("waiting", "active", "delayed", "failed", "completed")
        const failed = (await bull.getFailed(0, 19)).map((job) => ({
          id: job.id,
          name: job.name,
          failed_reason: job.failedReason,
          attempts: job.attemptsMade,
          finished_at: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
        }))
        return { name: queue.name, mode: "bullmq", counts, failed }
      })
    )
  }

  /**
   * Retries a failed job; false when the queue has no such failed job. `refresh` gives the job new data
   * first (a training job gathers its inputs again: what it failed on may be readable now).
   */
  async retryFailedJob(
    queueName: string,
    jobId: string,
    refresh?: (name: string, data: Record<string, unknown>) => Promise<Record<string, unknown>>
  ): Promise<boolean> {
    const queue = [this.eventsQueue, this.trainingQueue].find((candidate) => candidate?.name === queueName)
    const job = await queue?.bullQueue?.getJob(jobId)
    if (!job || !(await job.isFailed())) {
      return false
    }
    if (refresh) await job.updateData(await refresh(job.name, job.data ?? {}))
    await job.retry()
    return true
  }

  /**
   * Training and batch scoring are fired by the plugin's Medusa scheduled job (src/jobs/model-lifecycle.ts);
   * the BullMQ job schedulers that earlier versions registered would fire them a second time.
   */
  private async removeLegacySchedulers(): Promise<void> {
    try {
      await this.trainingQueue?.removeSchedulers(LEGACY_SCHEDULERS)
    } catch (error) {
      this.logger_?.warn(`medusa-uplift: could not remove the earlier training schedules: ${(error as Error).message}`)
    }
  }

  private requireQueue(queue?: JobQueue): JobQueue {
    if (!queue) {
      throw new Error("medusa-uplift: queues are not initialised (module loaded in data-only mode)")
    }
    return queue
  }
}

/** The insert of every ingested batch, a fixed statement prepared once per connection. $1: the rows as JSON. */
const insertInteractionsStatement = preparedStatement<{ customer_id: string | null }>(
  "select uplift_insert_interactions as customer_id from uplift_insert_interactions($1::jsonb)"
)

function toInteractionRow(record: InteractionInput, id: string) {
  return {
    id,
    dedupe_key: record.dedupe_key,
    kind: record.kind,
    source: record.source ?? "event",
    customer_id: record.customer_id ?? null,
    cart_id: record.cart_id ?? null,
    order_id: record.order_id ?? null,
    product_id: record.product_id ?? null,
    variant_id: record.variant_id ?? null,
    quantity: record.quantity,
    value: record.value,
    currency_code: record.currency_code ?? null,
    occurred_at: new Date(record.occurred_at),
  }
}

export default UpliftModuleService
