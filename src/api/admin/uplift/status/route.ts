import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { upliftService } from "../../../../ingestion/enqueue"
import { withDatabaseErrors } from "../../../utils/database-unavailable"

/** What the plugin is running on: queue mode, worker mode, execution providers and data counts. */
export const GET = withDatabaseErrors(async function GET(req: MedusaRequest, res: MedusaResponse) {
  res.json({ uplift: await upliftService(req.scope).status() })
})
