import { validateAndTransformBody, validateAndTransformQuery } from "@medusajs/framework/http"
import type { MiddlewareRoute } from "@medusajs/framework/http"
import { validateIdParam } from "../../utils/validate-id-param"
import { CreateDiscountPolicy, ListDiscountPolicies, ListPersonalOffers, PolicyReportQuery, UpdateDiscountPolicy } from "./validators"

const queryConfig = { isList: false, defaults: [] as string[] }

export const discountPolicyMiddlewares: MiddlewareRoute[] = [
  { matcher: "/admin/discount-policies/:id", middlewares: [validateIdParam] },
  { matcher: "/admin/discount-policies/:id/report", middlewares: [validateIdParam] },
  { matcher: "/admin/discount-policies", methods: ["POST"], middlewares: [validateAndTransformBody(CreateDiscountPolicy)] },
  { matcher: "/admin/discount-policies", methods: ["GET"], middlewares: [validateAndTransformQuery(ListDiscountPolicies, queryConfig)] },
  { matcher: "/admin/discount-policies/:id", methods: ["POST"], middlewares: [validateAndTransformBody(UpdateDiscountPolicy)] },
  { matcher: "/admin/discount-policies/:id/report", methods: ["GET"], middlewares: [validateAndTransformQuery(PolicyReportQuery, queryConfig)] },
  { matcher: "/admin/personal-offers", methods: ["GET"], middlewares: [validateAndTransformQuery(ListPersonalOffers, queryConfig)] },
]
