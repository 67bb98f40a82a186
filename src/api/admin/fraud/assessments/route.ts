import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type FraudModuleService from "../../../../modules/fraud/service"
import { assessmentToApi } from "../serialize"
import { withDatabaseErrors } from "../../../utils/database-unavailable"

export const GET = withDatabaseErrors(async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const { limit, offset, order_id, cart_id, decision } = req.validatedQuery as Record<string, any>
  const filters: Record<string, unknown> = {}
  if (order_id) filters.order_id = order_id
  if (cart_id) filters.cart_id = cart_id
  if (decision) filters.decision = decision
  const [rows, count] = await req.scope
    .resolve<FraudModuleService>("upliftFraud")
    .listAndCountFraudAssessments(filters, { take: limit, skip: offset, order: { created_at: "DESC" } })
  res.json({ assessments: rows.map((r) => assessmentToApi(r as any)), count, limit, offset })
})
