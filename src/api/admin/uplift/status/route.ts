import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { upliftService } from "../../../../ingestion/enqueue"
import { recommendationsReadiness } from "../../../../recommendations/recommend"
import { withDatabaseErrors } from "../../../utils/database-unavailable"

/**
 * What the plugin is running on: queue mode, worker mode, execution providers, data counts, and the
 * recommendation model this process serves (`prepared` once its rankings and cards are precomputed).
 */
export const GET = withDatabaseErrors(async function GET(req: MedusaRequest, res: MedusaResponse) {
  res.json({ uplift: { ...(await upliftService(req.scope).status()), recommendations: recommendationsReadiness() } })
})
