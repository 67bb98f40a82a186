import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type FraudModuleService from "../../../../modules/fraud/service"
import type { Settings } from "../validators"
import { withDatabaseErrors } from "../../../utils/database-unavailable"

async function view(fraud: FraudModuleService) {
  return {
    ...(await fraud.thresholds()),
    fail_closed: fraud.failClosed,
    model_version: fraud.scorer.version,
    model_engine: fraud.scorer.engine,
    model_error: fraud.scorer.loadError,
  }
}

export const GET = withDatabaseErrors(async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const fraud = req.scope.resolve<FraudModuleService>("upliftFraud")
  await fraud.scorer.load()
  res.json({ settings: await view(fraud) })
})

export const POST = withDatabaseErrors(async function POST(req: AuthenticatedMedusaRequest<Settings>, res: MedusaResponse) {
  const fraud = req.scope.resolve<FraudModuleService>("upliftFraud")
  await fraud.setThresholds(req.validatedBody)
  res.json({ settings: await view(fraud) })
})
