import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { DISCOUNTS_MODULE } from "../../../modules/discounts"
import type DiscountsModuleService from "../../../modules/discounts/service"
import { withDatabaseErrors } from "../../utils/database-unavailable"

export const GET = withDatabaseErrors(async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const { limit, offset, ...filters } = req.validatedQuery as Record<string, any>
  const discounts = req.scope.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
  const [offers, count] = await discounts.listAndCountPersonalOffers(filters, { take: limit, skip: offset, order: { created_at: "DESC" } })
  res.json({ personal_offers: offers, count, limit, offset })
})
