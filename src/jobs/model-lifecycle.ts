import type { MedusaContainer } from "@medusajs/framework/types"
import { upliftService } from "../ingestion/enqueue"
import { dueTick } from "../lib/cron-tick"
import type { ModelKind } from "../modules/uplift/training/model-registry"
import { trainingInputsForQueue } from "../workflows/ml/training-inputs"

/**
 * What the training schedule (plugin option `trainingCron`) retrains: the recommender with the propensity
 * model from the same fit (both are the hybrid recommender on the store's purchases), and the response
 * model. Fraud retrains on demand.
 */
const SCHEDULED: { kind: ModelKind; withPropensity?: boolean }[] = [{ kind: "recommender", withPropensity: true }, { kind: "response" }]
/** A tick is still fired this long after it (a busy minute does not skip a night's training). */
const TICK_WINDOW_MS = 5 * 60_000

/**
 * Fires the plugin's model schedules: training of every scheduled kind at each `trainingCron` tick and
 * batch scoring at each `batchScoringCron` tick, queued on the training queue once per tick however many
 * processes run this job. The plugin's only scheduler (see the README, learning loop).
 */
export default async function modelLifecycle(container: MedusaContainer): Promise<void> {
  await fireModelSchedules(container, new Date())
}

export async function fireModelSchedules(container: MedusaContainer, now: Date): Promise<{ training: ModelKind[]; batchScoring: boolean }> {
  const uplift = upliftService(container)
  const fired: { training: ModelKind[]; batchScoring: boolean } = { training: [], batchScoring: false }
  const trainingTick = dueTick(uplift.options.trainingCron, now, TICK_WINDOW_MS)
  for (const { kind, withPropensity } of trainingTick ? SCHEDULED : []) {
    // The inputs (decisions, labels, catalog) are read only while this tick's run is not yet queued.
    if (await uplift.registry.scheduledRunQueued(kind, trainingTick!)) continue
    const inputs = await trainingInputsForQueue(container, kind, now)
    if (await uplift.registry.requestScheduledTraining(kind, trainingTick!, inputs, withPropensity)) {
      fired.training.push(kind, ...(withPropensity ? (["propensity"] as const) : []))
    }
  }
  const scoringTick = dueTick(uplift.options.batchScoringCron, now, TICK_WINDOW_MS)
  if (scoringTick) {
    await uplift.registry.requestBatchScoring(scoringTick)
    fired.batchScoring = true
  }
  return fired
}

export const config = { name: "medusa-uplift-model-lifecycle", schedule: "* * * * *" }
