import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { upliftService } from "../../../../ingestion/enqueue"

/** What the plugin is running on: queue mode, worker mode, execution providers and data counts. */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  res.json({ uplift: await upliftService(req.scope).status() })
}
