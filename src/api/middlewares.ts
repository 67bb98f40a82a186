import { defineMiddlewares } from "@medusajs/framework/http"
import type { MiddlewareRoute } from "@medusajs/framework/http"

/** Each feature declares its route middlewares (validation, holds) beside its routes. */
const featureMiddlewares: MiddlewareRoute[][] = []

export default defineMiddlewares({
  routes: featureMiddlewares.flat(),
})
