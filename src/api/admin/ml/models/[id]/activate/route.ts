import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { upliftService } from "../../../../../../ingestion/enqueue"
import { ArtifactRejectedError } from "../../../../../../modules/uplift/training/model-registry"
import { withDatabaseErrors } from "../../../../../utils/database-unavailable"

/** Activates a version (also the rollback to an earlier one); deciding processes pick it up within seconds. */
export const POST = withDatabaseErrors(async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const active = await upliftService(req.scope)
    .registry.activate(req.params.id)
    .catch((error) => {
      throw error instanceof ArtifactRejectedError ? new MedusaError(MedusaError.Types.NOT_ALLOWED, error.message) : error
    })
  if (!active) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Model version with id "${req.params.id}" was not found`)
  }
  const { artifact, ...model } = active
  res.json({ model })
})
