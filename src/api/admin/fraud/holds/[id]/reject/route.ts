import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { rejectFraudHoldWorkflow } from "../../../../../../workflows/fraud/hold-workflows"
import { actorId } from "../../../serialize"
import type { ResolveHold } from "../../../validators"
import { withDatabaseErrors } from "../../../../../utils/database-unavailable"

export const POST = withDatabaseErrors(async function POST(req: AuthenticatedMedusaRequest<ResolveHold>, res: MedusaResponse) {
  const { result } = await rejectFraudHoldWorkflow(req.scope).run({
    input: { hold_id: req.params.id, actor_id: actorId(req), note: req.validatedBody.note ?? null },
  })
  res.json({ hold: result })
})
