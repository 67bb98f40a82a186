import { validateAndTransformBody, validateAndTransformQuery } from "@medusajs/framework/http"
import type { MiddlewareRoute } from "@medusajs/framework/http"
import { CreateTrainingRun, ListModels } from "./validators"

export const mlMiddlewares: MiddlewareRoute[] = [
  { matcher: "/admin/ml/training-runs", methods: ["POST"], middlewares: [validateAndTransformBody(CreateTrainingRun)] },
  { matcher: "/admin/ml/models", methods: ["GET"], middlewares: [validateAndTransformQuery(ListModels, { isList: false, defaults: [] })] },
]
