import { generateEntityId } from "@medusajs/framework/utils"
import type { Knex } from "knex"
import { parseArtifact } from "../../../ml/artifact/artifact"
import { OnnxSchema } from "../../../ml/onnx/proto"
import type { ModelArtifact } from "../../../ml/artifact/artifact"
import { loadSession } from "../../../ml/runtime/session"
import { responseModelFromEnsemble } from "../../../ml/training/response"
import { batchTopItemsOf, modelCustomers } from "../../../ml/training/batch-scoring"
import type { CustomerVectors } from "../../../ml/training/batch-scoring"
import { packedState, recsModelOf, stateVectorInto } from "../../../ml/recs"
import type { PackedCustomers } from "../../../ml/recs"
import type { ResponseModel } from "../../../ml/decision/offer-decision"
import type { TreeEnsemble } from "../../../ml/trees/types"
import type { UpliftOptions } from "../../../lib/options"
import type { JobQueue } from "../queue/job-queue"
import { loadFraudTask, loadPropensityTask, loadRecommenderTask, loadResponseTask, TrainingInputs } from "./training-sets"
import { runInThread, taskFile } from "../../../ml/runtime/thread"
import { writeUnlessErased } from "../erasure"
import { columnBuffers } from "../../../ml/recs/columns"
import type { TrainingTask, TrainingTaskResult, TrainingThreadResult } from "./training-task"
import { NotEnoughDataError } from "../../../ml/training/types"
import { TRAIN_JOB } from "../types"

/** A run that ended because the store has not yet collected what the model learns from. */
export const WAITING_FOR_DATA = "waiting_for_data"

export class ArtifactRejectedError extends Error {}

export type ModelKind = "propensity" | "response" | "fraud" | "recommender"
export { TRAIN_JOB }
export const BATCH_SCORE_JOB = "batch-score"
const NEXT_PURCHASES = 10
const PROFILE_CHUNK = 500
const RUNS = "uplift_training_run"
const VERSIONS = "uplift_model_version"
const CUSTOMER_STATES = "uplift_model_customer_state"
/** Customer state rows per INSERT statement (about 0.5 MiB of parameters at a typical recommender's size). */
const STATE_ROWS_PER_INSERT = 1_000
const KEPT_STATE_VERSIONS = 3
const ACTIVE_CACHE_MS = 2_000

/**
 * Training runs, the model registry with champion/challenger promotion, and the active models that
 * deciding processes serve (re-read at most every 2 s, so an activation reaches every process without
 * a restart).
 */
export class ModelRegistry {
  private activeCache = new Map<ModelKind, { checkedAt: number; id: string | null; model: ResponseModel | null }>()
  private activeIds = new Map<ModelKind, { checkedAt: number; id: string | null }>()
  /** What every artifact is decoded with (parsed once per registry). */
  private readonly onnxSchema = new OnnxSchema()

  constructor(
    private readonly db: Knex,
    private readonly queue: JobQueue | undefined,
    private readonly options: UpliftOptions
  ) {}

  /**
   * Queues a training run. What other modules keep (the catalog, logged decisions, labelled orders) travels
   * with the job: this module cannot read their data, the caller gathers it (TrainingInputs).
   */
  async requestTraining(kind: ModelKind, trigger: "api" | "schedule" = "api", inputs: TrainingInputs = {}): Promise<Record<string, any>> {
    const run = await this.createRun(kind, trigger)
    await this.queue?.add(TRAIN_JOB, { run_id: run.id, model: kind, ...inputs }, { jobId: `train:${run.id}` })
    return run
  }

  /**
   * Queues the training a schedule tick asks for, once per kind and tick however many processes fire it
   * (a run of that kind triggered by the schedule since the tick means it is queued already). With
   * `withPropensity` (the recommender), the tick's propensity run is created beside it and trained from the
   * same fit, in the same job. Returns the new run, or null.
   */
  async requestScheduledTraining(kind: ModelKind, tick: Date, inputs: TrainingInputs = {}, withPropensity = false): Promise<Record<string, any> | null> {
    const runs = await this.db.transaction(async (trx) => {
      await trx.raw("select pg_advisory_xact_lock(hashtext(?))", [`uplift_training_schedule:${kind}`])
      const queued = await trx(RUNS).where({ model: kind, trigger: "schedule" }).where("created_at", ">=", tick).first("id")
      if (queued) return null
      const run = await this.createRun(kind, "schedule", trx)
      const propensityRun = withPropensity ? await this.createRun("propensity", "schedule", trx) : null
      return { run, propensityRun }
    })
    if (!runs) return null
    const job = { run_id: runs.run.id, model: kind, ...(runs.propensityRun ? { propensity_run_id: runs.propensityRun.id } : {}), ...inputs }
    await this.queue?.add(TRAIN_JOB, job, { jobId: `train:${runs.run.id}` })
    return runs.run
  }

  /** Whether the schedule already queued a run of this kind since the tick (read before gathering its inputs). */
  async scheduledRunQueued(kind: ModelKind, tick: Date): Promise<boolean> {
    return Boolean(await this.db(RUNS).where({ model: kind, trigger: "schedule" }).where("created_at", ">=", tick).first("id"))
  }

  /** Queues batch scoring for a schedule tick (the job id makes it once per tick). */
  async requestBatchScoring(tick: Date): Promise<void> {
    await this.queue?.add(BATCH_SCORE_JOB, {}, { jobId: `batch-score:${tick.getTime()}` })
  }

  /** Trains now, in this process's training thread (seeds, tests, benchmarks); resolves to the finished run. */
  async trainNow(kind: ModelKind, inputs: TrainingInputs = {}): Promise<Record<string, any>> {
    const run = await this.createRun(kind, "api")
    await this.runTraining({ run_id: run.id, model: kind, ...inputs })
    return this.db(RUNS).where({ id: run.id }).first()
  }

  /**
   * The training job: idempotent per run (a finished run is not trained again). Throws so BullMQ retries.
   * With `propensity_run_id` (a recommender run only), the propensity model of the same fit is that run's version.
   */
  async runTraining(data: { run_id?: string; model: ModelKind; trigger?: "schedule" | "api"; propensity_run_id?: string } & TrainingInputs): Promise<string> {
    const run = data.run_id ? await this.db(RUNS).where({ id: data.run_id }).first() : await this.createRun(data.model, data.trigger ?? "schedule")
    if (!run || run.status === "completed") {
      return "skipped"
    }
    const propensityRun = data.propensity_run_id && run.model === "recommender" ? await this.db(RUNS).where({ id: data.propensity_run_id }).first() : null
    await Promise.all([run, propensityRun].filter(Boolean).map((started) => this.startRun(started)))
    const progress = this.progressWriter(run.id)
    const propensityProgress = propensityRun && this.progressWriter(propensityRun.id)
    try {
      const version = await this.nextVersion(run.model)
      progress("load data", 2, `loading the ${run.model} training set`)
      if (data.inputs_error) throw new Error(data.inputs_error)
      const task = await this.trainingSet(run.model, version, data)
      const propensityVersion = propensityRun && (await this.nextVersion("propensity"))
      if (propensityVersion && task.kind === "recommender") {
        task.propensityVersion = propensityVersion
        propensityProgress!("fit", 5, `fitted once with the recommender (run ${run.id}, ${version})`)
      }
      const result = await trainInThread(task, progress)
      const outcome = await this.register(run.id, run.model, version, result)
      if (propensityRun && result.propensity) {
        const propensityOutcome = await this.register(propensityRun.id, "propensity", propensityVersion!, { ...result.propensity, customers: result.customers })
        await propensityProgress!.flush()
        await this.completeRun(propensityRun.id, propensityOutcome)
      } else if (propensityRun) {
        // Never left "running": a fit without a propensity model fails that run, the recommender's stands.
        await this.endRun(propensityRun.id, new Error(`the recommender fit of run ${run.id} returned no propensity model`)).catch(() => undefined)
      }
      await progress.flush()
      await this.completeRun(run.id, outcome)
      return outcome.status
    } catch (error) {
      await Promise.all([progress.flush(), propensityProgress?.flush()])
      if (propensityRun) await this.endRun(propensityRun.id, error).catch(() => undefined)
      return this.endRun(run.id, error)
    }
  }

  /**
   * Trains the storefront recommender and, from the same fit, the propensity model: both are the hybrid
   * recommender on the store's purchases, so one fit gives a run and a version of each kind, each promoted
   * by its own champion/challenger, in half the time of training them one after the other (the demo seed).
   * Resolves to both finished runs, failed ones included.
   */
  async trainRecommenderAndPropensityNow(inputs: TrainingInputs = {}): Promise<{ recommender: Record<string, any>; propensity: Record<string, any> }> {
    const recommenderRun = await this.createRun("recommender", "api")
    const propensityRun = await this.createRun("propensity", "api")
    await this.runTraining({ run_id: recommenderRun.id, model: "recommender", propensity_run_id: propensityRun.id, ...inputs }).catch(() => undefined)
    const [recommender, propensity] = await Promise.all([recommenderRun, propensityRun].map((run) => this.db(RUNS).where({ id: run.id }).first()))
    return { recommender, propensity }
  }

  private async startRun(run: Record<string, any>): Promise<void> {
    await this.db(RUNS).where({ id: run.id }).update({ status: "running", started_at: new Date(), attempts: run.attempts + 1, error: null, updated_at: new Date() })
  }

  private async completeRun(runId: string, outcome: { id: string; status: string }): Promise<void> {
    await this.db(RUNS).where({ id: runId }).update({ status: "completed", stage: "done", percent: 100, outcome: outcome.status, model_version_id: outcome.id, finished_at: new Date(), updated_at: new Date() })
  }

  /** A run that threw: waiting for data (completed), or failed, rethrown so that BullMQ retries the job. */
  private async endRun(runId: string, error: unknown): Promise<string> {
    if ((error as { code?: string }).code === NotEnoughDataError.code) {
      await this.db(RUNS).where({ id: runId }).update({ status: "completed", stage: "done", percent: 100, outcome: WAITING_FOR_DATA, error: (error as Error).message, finished_at: new Date(), updated_at: new Date() })
      return WAITING_FOR_DATA
    }
    await this.db(RUNS).where({ id: runId }).update({ status: "failed", error: (error as Error).message, finished_at: new Date(), updated_at: new Date() })
    throw error
  }

  /** The training set of a kind: this module's purchases and profiles with what the caller carried. */
  async trainingSet(kind: ModelKind, version: string, inputs: TrainingInputs = {}): Promise<TrainingTask> {
    const loaders: Record<ModelKind, (db: Knex, version: string, inputs: TrainingInputs) => Promise<TrainingTask>> = {
      propensity: loadPropensityTask,
      response: loadResponseTask,
      fraud: loadFraudTask,
      recommender: loadRecommenderTask,
    }
    return loaders[kind](this.db, version, inputs)
  }

  /**
   * Makes a version the active one of its kind (also the rollback). A version whose artifact no longer
   * validates (checksum, schema, ONNX) is refused: the active model stays.
   */
  async activate(versionId: string): Promise<Record<string, any> | undefined> {
    return this.db.transaction(async (trx) => {
      const version = await trx(VERSIONS).where({ id: versionId }).first()
      if (!version) return undefined
      let artifact: ModelArtifact<{ customerStates?: { customers: number } }>
      try {
        artifact = parseArtifact(version.artifact, { kind: version.kind, onnxSchema: this.onnxSchema })
      } catch (error) {
        throw new ArtifactRejectedError(`model version ${versionId} cannot be activated: its artifact failed validation (${(error as Error).message})`)
      }
      if (artifact.reference?.customerStates?.customers && !(await trx(CUSTOMER_STATES).where({ model_version_id: versionId }).first("customer_id"))) {
        throw new ArtifactRejectedError(`model version ${versionId} cannot be activated: its customers' states were pruned (only the newest ${KEPT_STATE_VERSIONS} inactive versions keep them)`)
      }
      await trx(VERSIONS).where({ kind: version.kind, status: "active" }).update({ status: "retired", updated_at: new Date() })
      const [active] = await trx(VERSIONS).where({ id: versionId }).update({ status: "active", activated_at: new Date(), updated_at: new Date() }).returning("*")
      const cached = this.activeCache.get(version.kind)
      if (cached) cached.checkedAt = 0 // re-read on next use; the current model stays as the fallback
      this.activeIds.delete(version.kind)
      return active
    })
  }

  /** The active response model for decisions, or null (cold start). */
  async activeResponseModel(): Promise<ResponseModel | null> {
    const cached = this.activeCache.get("response")
    if (cached && Date.now() - cached.checkedAt < ACTIVE_CACHE_MS) {
      return cached.model
    }
    const active = await this.db(VERSIONS).where({ kind: "response", status: "active" }).whereNull("deleted_at").select("id").first()
    if (cached && cached.id === (active?.id ?? null)) {
      cached.checkedAt = Date.now()
      return cached.model
    }
    const model = active ? await this.loadResponse(active.id) : null
    this.activeCache.set("response", { checkedAt: Date.now(), id: model ? active.id : cached?.id ?? null, model: model ?? cached?.model ?? null })
    return this.activeCache.get("response")!.model
  }

  /**
   * Precomputes every customer's likeliest next purchases with the active propensity model (on the GPU
   * where the execution providers allow) into their profiles, for the storefront and the admin.
   */
  async runBatchScoring(): Promise<{ customers: number; provider: string | null; model_version: string | null }> {
    const active = await this.db(VERSIONS).where({ kind: "propensity", status: "active" }).whereNull("deleted_at").first()
    if (!active) {
      return { customers: 0, provider: null, model_version: null }
    }
    const artifact = parseArtifact<{ customerStates?: { dim: number } }>(active.artifact, { kind: "propensity", onnxSchema: this.onnxSchema })
    const model = recsModelOf(artifact.reference)
    const modelVersion = active.version
    const states = artifact.reference.customerStates
    // Customers a page of rows at a time (or, in older artifacts, from the model); written a batch at a time
    // as they are scored: a million customers' lists or embeddings are never held at once.
    const { provider, customers } = await batchTopItemsOf(
      model,
      states ? this.customerVectorPages(active.id, states.dim) : modelCustomers(model, PROFILE_CHUNK),
      NEXT_PURCHASES,
      this.options.executionProviders,
      async (chunk) => {
        // The model still knows customers erased since it was trained: they get no profile back.
        await writeUnlessErased(this.db, chunk.map((result) => result.user), async (trx, erased) => {
          const rows = chunk
            .filter((result) => !erased.has(result.user))
            .map((result) => ({
              id: generateEntityId(undefined, "ucpr"),
              customer_id: result.user,
              attributes: JSON.stringify({ next_purchases: result.items.map((entry) => entry.item), propensity_version: modelVersion }),
            }))
          if (!rows.length) return
          await trx.raw(
            `? on conflict (customer_id) where deleted_at is null do update set
               attributes = coalesce(uplift_customer_profile.attributes, '{}'::jsonb) || excluded.attributes, updated_at = now()`,
            [trx("uplift_customer_profile").insert(rows)]
          )
        })
      }
    )
    return { customers, provider, model_version: modelVersion }
  }

  /** A version's customers with their embeddings, a page of rows at a time (keyset on the primary key). */
  private async *customerVectorPages(versionId: string, dim: number): AsyncGenerator<CustomerVectors> {
    let after: string | null = null
    for (;;) {
      const rows = await this.customerStatePage(versionId, after, PROFILE_CHUNK)
      if (!rows.length) return
      after = rows[rows.length - 1].customer_id
      const vectors = new Float32Array(rows.length * dim)
      rows.forEach((row, r) => stateVectorInto(row.state, dim, vectors, r))
      yield { users: rows.map((row) => row.customer_id), vectors }
    }
  }

  /** Id of the active version of a kind (re-read at most every 2 s). */
  async activeVersionId(kind: ModelKind): Promise<string | null> {
    const cached = this.activeIds.get(kind)
    if (cached && Date.now() - cached.checkedAt < ACTIVE_CACHE_MS) {
      return cached.id
    }
    const row = await this.db(VERSIONS).where({ kind, status: "active" }).whereNull("deleted_at").select("id").first()
    this.activeIds.set(kind, { checkedAt: Date.now(), id: row?.id ?? null })
    return row?.id ?? null
  }

  /**
   * The active version's validated artifact of a kind, or null. Served processes (the fraud scorer)
   * compare `id` with what they hold and swap when it changes.
   */
  async activeArtifact(kind: ModelKind): Promise<{ id: string; version: string; artifact: string } | null> {
    const row = await this.db(VERSIONS).where({ kind, status: "active" }).whereNull("deleted_at").select("id", "version", "artifact").first()
    if (!row) return null
    try {
      parseArtifact(row.artifact, { kind, onnxSchema: this.onnxSchema })
      return row
    } catch {
      return null
    }
  }

  /**
   * The active version of a kind, parsed and validated, or null (none, or its artifact fails validation).
   * Read `activeVersionId` first to load only when it changes.
   */
  async activeModel<Reference = unknown>(kind: ModelKind): Promise<{ id: string; version: string; dataTo: Date | null; artifact: ModelArtifact<Reference> } | null> {
    const row = await this.db(VERSIONS).where({ kind, status: "active" }).whereNull("deleted_at").select("id", "version", "data_to", "artifact").first()
    if (!row) return null
    try {
      return { id: row.id, version: row.version, dataTo: row.data_to ? new Date(row.data_to) : null, artifact: parseArtifact<Reference>(row.artifact, { kind, onnxSchema: this.onnxSchema }) }
    } catch {
      return null
    }
  }

  /** A version that fails to parse or validate is never served: the previous model stays. */
  private async loadResponse(versionId: string): Promise<ResponseModel | null> {
    try {
      const row = await this.db(VERSIONS).where({ id: versionId }).first()
      const artifact = parseArtifact<TreeEnsemble>(row.artifact, { kind: "response", onnxSchema: this.onnxSchema })
      return responseModelFromEnsemble(artifact.reference, artifact.version, artifact.featureSchema.map((feature) => feature.name))
    } catch {
      return null
    }
  }

  private async register(runId: string, kind: ModelKind, version: string, result: TrainingTaskResult) {
    const artifact = parseArtifact(result.artifact, { kind, onnxSchema: this.onnxSchema })
    const session = await loadSession(artifact.onnx, { providers: this.options.executionProviders })
    const champion = await this.db(VERSIONS).where({ kind, status: "active" }).whereNull("deleted_at").first()
    const promote = !champion || notWorse(result.selection, champion, this.options.challengerTolerance)
    const id = generateEntityId(undefined, "umod")
    // Written before the version row, so that a version row has its states; removed when the row is not written.
    if (result.customers) await this.writeCustomerStates(id, result.customers)
    const [row] = await this.db(VERSIONS)
      .insert({
        id,
        kind,
        version,
        status: promote ? "candidate" : "rejected",
        metrics: JSON.stringify(result.metrics),
        selection_metric: result.selection.metric,
        selection_value: result.selection.value,
        higher_is_better: result.selection.higherIsBetter,
        data_from: result.trainedOn.from,
        data_to: result.trainedOn.to,
        size_bytes: Buffer.byteLength(result.artifact),
        execution_provider: session.provider,
        checksum: artifact.checksum,
        artifact: result.artifact,
        training_run_id: runId,
        note: promote
          ? null
          : `validation ${result.selection.metric} ${result.selection.value.toFixed(4)} is worse than the active version's ${
              Number.isFinite(result.selection.champion) ? `${(result.selection.champion as number).toFixed(4)} on the same rows` : Number(champion.selection_value).toFixed(4)
            }`,
      })
      .returning(["id", "status"])
      .catch(async (error) => {
        await this.db(CUSTOMER_STATES).where({ model_version_id: id }).delete()
        throw error
      })
    const outcome = promote ? ((await this.activate(row.id)) as { id: string; status: string }) : row
    if (result.customers) await this.pruneCustomerStates(kind)
    return outcome
  }

  /**
   * Customer states are kept for the active version and the KEPT_STATE_VERSIONS newest others of the kind
   * (the rollback targets): a store retraining nightly would otherwise add a million rows a day.
   */
  private async pruneCustomerStates(kind: ModelKind): Promise<void> {
    const kept = this.db(VERSIONS).where({ kind }).whereNot({ status: "active" }).orderBy("created_at", "desc").limit(KEPT_STATE_VERSIONS).select("id")
    const older = this.db(VERSIONS).where({ kind }).whereNot({ status: "active" }).whereNotIn("id", kept).select("id")
    await this.db(CUSTOMER_STATES).whereIn("model_version_id", older).delete()
  }

  /** Every trained customer's state as rows of the version, in multi-row inserts. */
  private async writeCustomerStates(versionId: string, customers: PackedCustomers): Promise<void> {
    try {
      for (let start = 0; start < customers.ids.length; start += STATE_ROWS_PER_INSERT) {
        const rows = customers.ids.slice(start, start + STATE_ROWS_PER_INSERT).map((customer_id, k) => {
          const bytes = packedState(customers, start + k)
          return { model_version_id: versionId, customer_id, state: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) }
        })
        await this.db(CUSTOMER_STATES).insert(rows)
      }
      // Fresh statistics, or the planner takes the version's rows for a few and pages through them with a
      // bitmap scan and a sort of every remaining row per page (measured 112 ms a page at 50,000 customers,
      // 0.8 ms with the primary key's order): quadratic over a million.
      await this.db.raw(`analyze ${CUSTOMER_STATES}`)
    } catch (error) {
      await this.db(CUSTOMER_STATES).where({ model_version_id: versionId }).delete()
      throw error
    }
  }

  /**
   * The stored states of these customers in a version (one primary-key read each, in one query); customers
   * the version did not train on are absent.
   */
  async customerStates(versionId: string, customerIds: string[]): Promise<Map<string, Uint8Array>> {
    if (!customerIds.length) return new Map()
    const rows: { customer_id: string; state: Buffer }[] = await this.db(CUSTOMER_STATES)
      .where({ model_version_id: versionId })
      .whereIn("customer_id", customerIds)
      .select("customer_id", "state")
    return new Map(rows.map((row) => [row.customer_id, row.state]))
  }

  /** A page of a version's customers with their states, in customer id order after `after` (keyset paging). */
  async customerStatePage(versionId: string, after: string | null, limit: number): Promise<{ customer_id: string; state: Buffer }[]> {
    const query = this.db(CUSTOMER_STATES).where({ model_version_id: versionId })
    if (after !== null) query.where("customer_id", ">", after)
    return query.orderBy("customer_id").limit(limit).select("customer_id", "state")
  }

  private async nextVersion(kind: ModelKind): Promise<string> {
    const [{ count }] = await this.db(VERSIONS).where({ kind }).count({ count: "*" })
    return `${kind}-v${Number(count) + 1}`
  }

  private async createRun(kind: ModelKind, trigger: "api" | "schedule", db: Knex = this.db): Promise<Record<string, any>> {
    const [run] = await db(RUNS)
      .insert({ id: generateEntityId(undefined, "utrn"), model: kind, trigger, status: "queued", stage: "queued", percent: 0, log: JSON.stringify([]) })
      .returning("*")
    return run
  }

  /** Progress lines go to the run row, batched so a chatty trainer does not hammer the database. */
  private progressWriter(runId: string) {
    const lines: string[] = []
    let last = { stage: "running", percent: 0 }
    let writing: Promise<unknown> = Promise.resolve()
    let lastWrite = 0
    const write = () => {
      lastWrite = Date.now()
      const snapshot = { ...last, log: JSON.stringify(lines.slice(-200)) }
      writing = writing.then(() => this.db(RUNS).where({ id: runId }).update({ ...snapshot, updated_at: new Date() }))
      return writing
    }
    const listener = (stage: string, percent: number, line?: string) => {
      const changed = stage !== last.stage
      last = { stage, percent }
      if (line) lines.push(`${new Date().toISOString()} [${stage}] ${line}`)
      if (changed || line || Date.now() - lastWrite > 500) void write()
    }
    return Object.assign(listener, { flush: () => write() })
  }
}

/** The trainers run in a worker thread; the artifact comes back as moved bytes, not a copied string. */
async function trainInThread(task: TrainingTask, progress: (stage: string, percent: number, line?: string) => void): Promise<TrainingTaskResult> {
  const { artifactBytes, customerIds, customerOffsets, customerBytes, ...rest } = await runInThread<TrainingThreadResult>(taskFile(__dirname, "training-task"), "runTrainingTask", task, {
    onNotify: progress,
    // A training set's purchase columns are moved to the thread, not copied.
    transfer: "purchases" in task ? columnBuffers(task.purchases) : [],
  })
  const customers = customerIds && customerOffsets && customerBytes ? { ids: customerIds, offsets: customerOffsets, bytes: customerBytes } : undefined
  const { propensity, ...own } = rest
  return {
    ...own,
    customers,
    artifact: artifactText(artifactBytes),
    propensity: propensity && { metrics: propensity.metrics, trainedOn: propensity.trainedOn, selection: propensity.selection, artifact: artifactText(propensity.artifactBytes) },
  }
}

const artifactText = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8")

/**
 * Champion/challenger: the challenger is compared with the champion's value on its own validation rows when
 * the trainer scored the champion there; a value the champion got on other (older) rows is not comparable,
 * and is used only when there is nothing better.
 */
function notWorse(selection: TrainingTaskResult["selection"], champion: Record<string, any>, tolerance: number): boolean {
  if (champion.selection_metric !== selection.metric) return true
  const current = Number.isFinite(selection.champion) ? (selection.champion as number) : Number(champion.selection_value)
  return selection.higherIsBetter ? selection.value >= current - tolerance : selection.value <= current + tolerance
}
