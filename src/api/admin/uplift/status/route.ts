import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { upliftService } from "../../../../ingestion/enqueue"
import { recommendationsReadiness } from "../../../../recommendations/recommend"
import { withDatabaseErrors } from "../../../utils/database-unavailable"
import { servingModels } from "./models-serving"

/**
 * What the plugin is running on: queue mode, worker mode, the configured execution providers, data counts,
 * the recommendation model this process serves (`prepared` once its rankings and cards are precomputed),
 * and each model's version with what it actually runs on (`models`).
 */
export const GET = withDatabaseErrors(async function GET(req: MedusaRequest, res: MedusaResponse) {
  res.json({ uplift: { ...(await upliftService(req.scope).status()), recommendations: recommendationsReadiness(req.scope), models: await servingModels(req.scope) } })
})
