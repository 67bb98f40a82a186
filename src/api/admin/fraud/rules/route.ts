import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type FraudModuleService from "../../../../modules/fraud/service"
import type { CreateFraudRule } from "../../../../modules/fraud/rules/validators"
import { withDatabaseErrors } from "../../../utils/database-unavailable"

export const GET = withDatabaseErrors(async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const { limit, offset, action, enabled } = req.validatedQuery as { limit: number; offset: number; action?: string; enabled?: string }
  const filters: Record<string, unknown> = {}
  if (action) filters.action = action
  if (enabled) filters.enabled = enabled === "true"
  const [rules, count] = await req.scope
    .resolve<FraudModuleService>("upliftFraud")
    .listAndCountFraudRules(filters, { take: limit, skip: offset, order: { priority: "DESC", created_at: "ASC" } })
  res.json({ rules, count, limit, offset })
})

export const POST = withDatabaseErrors(async function POST(req: AuthenticatedMedusaRequest<CreateFraudRule>, res: MedusaResponse) {
  const fraud = req.scope.resolve<FraudModuleService>("upliftFraud")
  const rule = await fraud.createFraudRules(req.validatedBody as any)
  fraud.clearRuleCache()
  res.status(201).json({ rule })
})
