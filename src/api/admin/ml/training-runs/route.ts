import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { upliftService } from "../../../../ingestion/enqueue"
import type { CreateTrainingRunBody } from "../validators"
import { trainingInputsForQueue } from "../../../../workflows/ml/training-inputs"
import { withDatabaseErrors } from "../../../utils/database-unavailable"

/** Queues a training run; poll GET /admin/ml/training-runs/:id for its progress. */
export const POST = withDatabaseErrors(async function POST(req: AuthenticatedMedusaRequest<CreateTrainingRunBody>, res: MedusaResponse) {
  const { model } = req.validatedBody
  const run = await upliftService(req.scope).registry.requestTraining(model, "api", await trainingInputsForQueue(req.scope, model))
  res.status(202).json({ training_run: run })
})

export const GET = withDatabaseErrors(async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const [runs, count] = await upliftService(req.scope).listAndCountTrainingRuns({}, { order: { created_at: "DESC" }, take: 50 })
  res.json({ training_runs: runs, count })
})
