import { validateAndTransformBody, validateAndTransformQuery } from "@medusajs/framework/http"
import type { MiddlewareRoute } from "@medusajs/framework/http"
import { validateIdParam } from "../../utils/validate-id-param"
import { fraudStoreMiddlewares } from "../../store/fraud-client-signals"
import { holdGuardMiddlewares } from "./holds-guard"
import {
  CreateFraudRuleSchema,
  CreateLabelBody,
  ListAssessmentsQuery,
  ListHoldsQuery,
  ListLabelsQuery,
  ListRulesQuery,
  ResolveHoldBody,
  SettingsBody,
  UpdateFraudRuleSchema,
} from "./validators"

const list = { isList: false, defaults: [] as string[] }

/** Fraud screening: client signals at checkout, hold guards on the routes that move goods or money, admin API validation. */
export const fraudMiddlewares: MiddlewareRoute[] = [
  ...fraudStoreMiddlewares,
  ...holdGuardMiddlewares,
  { matcher: "/admin/fraud/rules", methods: ["GET"], middlewares: [validateAndTransformQuery(ListRulesQuery, list)] },
  { matcher: "/admin/fraud/rules", methods: ["POST"], middlewares: [validateAndTransformBody(CreateFraudRuleSchema)] },
  { matcher: "/admin/fraud/rules/:id", middlewares: [validateIdParam] },
  { matcher: "/admin/fraud/rules/:id", methods: ["POST"], middlewares: [validateAndTransformBody(UpdateFraudRuleSchema)] },
  { matcher: "/admin/fraud/holds", methods: ["GET"], middlewares: [validateAndTransformQuery(ListHoldsQuery, list)] },
  { matcher: "/admin/fraud/holds/:id/release", methods: ["POST"], middlewares: [validateIdParam, validateAndTransformBody(ResolveHoldBody)] },
  { matcher: "/admin/fraud/holds/:id/reject", methods: ["POST"], middlewares: [validateIdParam, validateAndTransformBody(ResolveHoldBody)] },
  { matcher: "/admin/fraud/assessments", methods: ["GET"], middlewares: [validateAndTransformQuery(ListAssessmentsQuery, list)] },
  { matcher: "/admin/fraud/labels", methods: ["GET"], middlewares: [validateAndTransformQuery(ListLabelsQuery, list)] },
  { matcher: "/admin/fraud/labels", methods: ["POST"], middlewares: [validateAndTransformBody(CreateLabelBody)] },
  { matcher: "/admin/fraud/settings", methods: ["POST"], middlewares: [validateAndTransformBody(SettingsBody)] },
]
