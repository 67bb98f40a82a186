import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import type FraudModuleService from "../../../../modules/fraud/service"
import { createFraudLabelWorkflow } from "../../../../workflows/fraud/hold-workflows"
import { actorId } from "../serialize"
import type { CreateLabel } from "../validators"
import { withDatabaseErrors } from "../../../utils/database-unavailable"

export const GET = withDatabaseErrors(async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const { limit, offset, order_id, label } = req.validatedQuery as Record<string, any>
  const filters: Record<string, unknown> = {}
  if (order_id) filters.order_id = order_id
  if (label) filters.label = label
  const [labels, count] = await req.scope
    .resolve<FraudModuleService>("upliftFraud")
    .listAndCountFraudLabels(filters, { take: limit, skip: offset, order: { created_at: "DESC" }, select: ["id", "order_id", "customer_id", "assessment_id", "label", "source", "actor_id", "note", "created_at"] })
  res.json({ labels, count, limit, offset })
})

export const POST = withDatabaseErrors(async function POST(req: AuthenticatedMedusaRequest<CreateLabel>, res: MedusaResponse) {
  const body = req.validatedBody
  const orders = await req.scope.resolve(Modules.ORDER).listOrders({ id: body.order_id }, { select: ["id"] })
  if (orders.length === 0) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Order ${body.order_id} was not found`)
  const { result } = await createFraudLabelWorkflow(req.scope).run({ input: { ...body, note: body.note ?? null, actor_id: actorId(req) } })
  const { features: _f, ...label } = result as Record<string, unknown>
  res.status(201).json({ label })
})
