import { generateEntityId, MedusaService } from "@medusajs/framework/utils"
import type { Knex } from "knex"
import { ItemOfferTarget } from "./models/item-offer-target"
import { RecsModelRecord } from "./models/recs-model"

type InjectedDependencies = { __pg_connection__: Knex }

const MODELS = "uplift_recs_model"
const TARGETS = "uplift_item_offer_target"
/** A training row older than this without finishing is considered dead (its process went away). */
const STALE_TRAINING_MS = 30 * 60_000
const KEEP_MODELS = 3

export interface ModelMeta {
  id: string
  created_at: Date
  data_to: Date | null
}

/**
 * Storage of the storefront recommender: trained models (the newest `ready` one is served by every
 * process) and item-offer targets. The interaction history it learns from is the uplift module's
 * (UpliftModuleService.history).
 */
class RecommendationsModuleService extends MedusaService({ RecsModelRecord, ItemOfferTarget }) {
  protected readonly db_: Knex

  constructor(deps: InjectedDependencies) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    this.db_ = deps.__pg_connection__
  }

  private serving_?: unknown

  /**
   * This application's recommendation serving state (the served model, product cards, rankings and their
   * caches), created by its first user: it lives as long as the module, never in a file's top level.
   */
  serving<T>(create: () => T): T {
    return (this.serving_ ??= create()) as T
  }

  /** The model to serve: the newest finished one (its artifact is loaded separately). */
  async latestReadyModel(): Promise<ModelMeta | null> {
    const row = await this.db_(MODELS).where({ status: "ready" }).whereNull("deleted_at").orderBy("created_at", "desc").first("id", "created_at", "data_to")
    return row ?? null
  }

  async modelArtifact(id: string): Promise<string | null> {
    const row = await this.db_(MODELS).where({ id }).first("artifact")
    return row?.artifact ?? null
  }

  /**
   * Claims the next training (one at a time across processes): returns the new row's id, or null when
   * another process is training right now.
   */
  async claimTraining(): Promise<string | null> {
    return this.db_.transaction(async (trx) => {
      await trx.raw("select pg_advisory_xact_lock(hashtext('uplift_recs_training'))")
      const running = await trx(MODELS)
        .where({ status: "training" })
        .whereNull("deleted_at")
        .where("created_at", ">", new Date(Date.now() - STALE_TRAINING_MS))
        .first("id")
      if (running) return null
      const [row] = await trx(MODELS).insert({ id: newId(), status: "training" }).returning("id")
      return row.id as string
    })
  }

  async finishTraining(id: string, artifact: string, stats: { interactions: number; customers: number; products: number; data_to: Date | null; train_ms: number }): Promise<void> {
    await this.db_(MODELS).where({ id }).update({ ...stats, artifact, status: "ready", updated_at: new Date() })
    const stale = await this.db_(MODELS).where({ status: "ready" }).whereNull("deleted_at").orderBy("created_at", "desc").offset(KEEP_MODELS).select("id")
    if (stale.length) await this.db_(MODELS).whereIn("id", stale.map((row: any) => row.id)).delete()
  }

  async failTraining(id: string, error: string): Promise<void> {
    await this.db_(MODELS).where({ id }).update({ status: "failed", error: error.slice(0, 2000), updated_at: new Date() })
  }

  async saveItemTargets(input: { offer_id: string; customer_id: string; discount_percent: number; product_ids: string[]; expected?: Record<string, number> }): Promise<void> {
    await this.db_(TARGETS)
      .insert({ id: newId("uitgt"), ...input, product_ids: JSON.stringify(input.product_ids), expected: input.expected ? JSON.stringify(input.expected) : null })
      .onConflict("offer_id")
      .merge()
  }

  async itemTargets(offerId: string): Promise<string[] | null> {
    const row = await this.db_(TARGETS).where({ offer_id: offerId }).whereNull("deleted_at").first("product_ids")
    return row ? (row.product_ids as string[]) : null
  }

  async eraseCustomer(customerId: string): Promise<void> {
    await this.db_(TARGETS).where({ customer_id: customerId }).delete()
  }
}

function newId(prefix = "urecs"): string {
  return generateEntityId(undefined, prefix)
}

export default RecommendationsModuleService
