import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type FraudModuleService from "../../../../../modules/fraud/service"
import type { UpdateFraudRule } from "../../../../../modules/fraud/rules/validators"
import { withDatabaseErrors } from "../../../../utils/database-unavailable"

export const GET = withDatabaseErrors(async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  res.json({ rule: await req.scope.resolve<FraudModuleService>("upliftFraud").retrieveFraudRule(req.params.id) })
})

export const POST = withDatabaseErrors(async function POST(req: AuthenticatedMedusaRequest<UpdateFraudRule>, res: MedusaResponse) {
  const fraud = req.scope.resolve<FraudModuleService>("upliftFraud")
  await fraud.retrieveFraudRule(req.params.id)
  const rule = await fraud.updateFraudRules({ id: req.params.id, ...(req.validatedBody as any) })
  fraud.clearRuleCache()
  res.json({ rule })
})

export const DELETE = withDatabaseErrors(async function DELETE(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const fraud = req.scope.resolve<FraudModuleService>("upliftFraud")
  await fraud.retrieveFraudRule(req.params.id)
  await fraud.deleteFraudRules(req.params.id)
  fraud.clearRuleCache()
  res.json({ id: req.params.id, object: "fraud_rule", deleted: true })
})
