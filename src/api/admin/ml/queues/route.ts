import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { upliftService } from "../../../../ingestion/enqueue"

/** Queue depths and the latest failed jobs with their errors. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  res.json({ queues: await upliftService(req.scope).queueOverview() })
}
