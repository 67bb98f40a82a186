import { defineMiddlewares } from "@medusajs/framework/http"
import type { MiddlewareRoute } from "@medusajs/framework/http"
import { discountPolicyMiddlewares } from "./admin/discount-policies/middlewares"
import { mlMiddlewares } from "./admin/ml/middlewares"
import { fraudMiddlewares } from "./admin/fraud/middlewares"
import { databaseAwareErrorHandler } from "./utils/database-unavailable"
import { shopperContextMiddlewares } from "./store/shopper-context"

/** Each feature declares its route middlewares (validation, holds) beside its routes. */
const featureMiddlewares: MiddlewareRoute[][] = [shopperContextMiddlewares, discountPolicyMiddlewares, mlMiddlewares, fraudMiddlewares]

export default defineMiddlewares({
  routes: featureMiddlewares.flat(),
  errorHandler: databaseAwareErrorHandler(),
})
