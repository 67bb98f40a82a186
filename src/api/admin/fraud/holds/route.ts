import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type FraudModuleService from "../../../../modules/fraud/service"
import { withDatabaseErrors } from "../../../utils/database-unavailable"
import { linkHeldOrders } from "../../../../workflows/fraud/link-held-orders"

/**
 * Holds of placed orders, newest first, with their audit trail. Holds whose order.placed handling failed are
 * linked to their orders first; pending holds of checkouts still in flight (no order yet) are not listed.
 */
export const GET = withDatabaseErrors(async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const { limit, offset, status, order_id } = req.validatedQuery as { limit: number; offset: number; status?: string; order_id?: string }
  const fraud = req.scope.resolve<FraudModuleService>("upliftFraud")
  await linkHeldOrders(req.scope)
  const filters: Record<string, unknown> = { order_id: order_id ?? { $ne: null } }
  if (status) filters.status = status
  const [holds, count] = await fraud.listAndCountFraudHolds(filters, { take: limit, skip: offset, order: { created_at: "DESC" } })
  const events = await fraud.holdEvents(holds.map((h) => h.id))
  res.json({ holds: holds.map((h) => ({ ...h, audit: events[h.id] ?? [] })), count, limit, offset })
})
