import { validateAndTransformBody, validateAndTransformQuery } from "@medusajs/framework/http"
import type { MiddlewareRoute } from "@medusajs/framework/http"
import { validateIdParam } from "../../utils/validate-id-param"
import { CreateTrainingRun, ListModels } from "./validators"

export const mlMiddlewares: MiddlewareRoute[] = [
  { matcher: "/admin/ml/training-runs/:id", middlewares: [validateIdParam] },
  { matcher: "/admin/ml/models/:id/activate", middlewares: [validateIdParam] },
  { matcher: "/admin/ml/queues/:name/jobs/:id/retry", middlewares: [validateIdParam] },
  { matcher: "/admin/ml/training-runs", methods: ["POST"], middlewares: [validateAndTransformBody(CreateTrainingRun)] },
  { matcher: "/admin/ml/models", methods: ["GET"], middlewares: [validateAndTransformQuery(ListModels, { isList: false, defaults: [] })] },
]
