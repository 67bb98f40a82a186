import { generateEntityId, MedusaService } from "@medusajs/framework/utils"
import type { Knex } from "knex"
import { ItemOfferTarget } from "./models/item-offer-target"

type InjectedDependencies = { __pg_connection__: Knex }

const TARGETS = "uplift_item_offer_target"
/**
 * Storage of the storefront recommender's item-offer targets, and this application's serving state. Trained
 * recommenders are versions in the uplift model registry (kind "recommender"); the interaction history they
 * learn from is the uplift module's (UpliftModuleService.history).
 */
class RecommendationsModuleService extends MedusaService({ ItemOfferTarget }) {
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

function newId(prefix: string): string {
  return generateEntityId(undefined, prefix)
}

export default RecommendationsModuleService
