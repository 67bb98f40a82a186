import { defineMiddlewares } from "@medusajs/framework/http"
import type { MiddlewareRoute } from "@medusajs/framework/http"
import { discountPolicyMiddlewares } from "./admin/discount-policies/middlewares"
import { mlMiddlewares } from "./admin/ml/middlewares"
import { fraudMiddlewares } from "./admin/fraud/middlewares"
import { databaseAwareErrorHandler } from "./utils/database-unavailable"
import { shopperContextMiddlewares } from "./store/shopper-context"
import { fraudHoldAwareErrorHandler } from "./admin/fraud/hold-error"
import { rbacPolicyMiddlewares } from "./admin/rbac-policies"

/** Each feature declares its route middlewares (validation, holds) beside its routes; RBAC policies in one list. */
const featureMiddlewares: MiddlewareRoute[][] = [shopperContextMiddlewares, discountPolicyMiddlewares, mlMiddlewares, fraudMiddlewares, rbacPolicyMiddlewares]

export default defineMiddlewares({
  routes: featureMiddlewares.flat(),
  errorHandler: fraudHoldAwareErrorHandler(databaseAwareErrorHandler()),
})
