import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { upliftService } from "../../../../ingestion/enqueue"
import { withDatabaseErrors } from "../../../utils/database-unavailable"
import { shippedFraudModel } from "./shipped-fraud-model"
import { chosenResponseLearner } from "../../../../ml/training/response"

const LISTED_FIELDS = [
  "id", "kind", "version", "status", "metrics", "selection_metric", "selection_value", "higher_is_better", "data_from",
  "data_to", "size_bytes", "execution_provider", "checksum", "training_run_id", "activated_at", "note", "created_at",
] as const

/**
 * Model versions with metrics, data span, size and execution provider (artifacts are not sent). The first
 * page of a listing that covers fraud ends with the shipped fraud model, which scores checkouts until a
 * retrained version is activated. A response version names the uplift learner it serves (`learner`).
 */
export const GET = withDatabaseErrors(async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const { kind, limit, offset } = req.validatedQuery as { kind?: string; limit: number; offset: number }
  const [models, count] = await upliftService(req.scope).listAndCountModelVersions(kind ? { kind: kind as any } : {}, {
    select: [...LISTED_FIELDS],
    order: { created_at: "DESC" },
    take: limit,
    skip: offset,
  })
  const shipped = offset === 0 && (!kind || kind === "fraud") ? await shippedFraudModel(req.scope) : null
  const listed = models.map((model) => (model.kind === "response" ? { ...model, learner: chosenResponseLearner((model.metrics ?? {}) as Record<string, number>) } : model))
  res.json({ models: shipped ? [...listed, shipped] : listed, count: shipped ? count + 1 : count, limit, offset })
})
