import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { upliftService } from "../../../../ingestion/enqueue"
import { withDatabaseErrors } from "../../../utils/database-unavailable"

/** Queue depths and the latest failed jobs with their errors. */
export const GET = withDatabaseErrors(async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  res.json({ queues: await upliftService(req.scope).queueOverview() })
})
