import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { upliftService } from "../../../../../../../../ingestion/enqueue"
import { withDatabaseErrors } from "../../../../../../../utils/database-unavailable"

export const POST = withDatabaseErrors(async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const retried = await upliftService(req.scope).retryFailedJob(req.params.name, req.params.id)
  if (!retried) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `No failed job "${req.params.id}" in queue "${req.params.name}"`)
  }
  res.json({ id: req.params.id, queue: req.params.name, retried: true })
})
