import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { upliftService } from "../../../../../ingestion/enqueue"
import { withDatabaseErrors } from "../../../../utils/database-unavailable"

export const GET = withDatabaseErrors(async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const [run] = await upliftService(req.scope).listTrainingRuns({ id: req.params.id })
  if (!run) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Training run with id "${req.params.id}" was not found`)
  }
  res.json({ training_run: run })
})
