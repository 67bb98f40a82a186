import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { upliftService } from "../../../../../../../../ingestion/enqueue"
import { TRAIN_JOB } from "../../../../../../../../modules/uplift/types"
import type { ModelKind } from "../../../../../../../../modules/uplift/training/model-registry"
import { trainingInputsForQueue } from "../../../../../../../../workflows/ml/training-inputs"
import { withDatabaseErrors } from "../../../../../../../utils/database-unavailable"

export const POST = withDatabaseErrors(async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const retried = await upliftService(req.scope).retryFailedJob(req.params.name, req.params.id, (name, data) => freshInputs(req.scope, name, data))
  if (!retried) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `No failed job "${req.params.id}" in queue "${req.params.name}"`)
  }
  res.json({ id: req.params.id, queue: req.params.name, retried: true })
})

/** A training job learns from what the store has now: its inputs are gathered again (other jobs keep their data). */
async function freshInputs(container: MedusaContainer, name: string, data: Record<string, unknown>): Promise<Record<string, unknown>> {
  if (name !== TRAIN_JOB) return data
  const { run_id, model, trigger } = data as { run_id?: string; model: ModelKind; trigger?: string }
  return { run_id, model, ...(trigger ? { trigger } : {}), ...(await trainingInputsForQueue(container, model)) }
}
