import type { MiddlewareRoute } from "@medusajs/framework/http"
import type { UPLIFT_RBAC_RESOURCES } from "../../policies/uplift"

type Resource = (typeof UPLIFT_RBAC_RESOURCES)[number]
type Operation = "read" | "create" | "update" | "delete"
type Method = "GET" | "POST" | "DELETE"

const rule = (matcher: string, method: Method, resource: Resource, operation: Operation): MiddlewareRoute => ({
  matcher,
  methods: [method],
  policies: [{ resource, operation }],
})

/**
 * The policies each admin route of the plugin requires when Medusa's RBAC is on (roles restrict who may
 * release or reject holds, change rules, thresholds, labels and discount policies).
 */
export const rbacPolicyMiddlewares: MiddlewareRoute[] = [
  rule("/admin/fraud/holds", "GET", "uplift_fraud_hold", "read"),
  rule("/admin/fraud/holds/:id/release", "POST", "uplift_fraud_hold", "update"),
  rule("/admin/fraud/holds/:id/reject", "POST", "uplift_fraud_hold", "update"),
  rule("/admin/fraud/rules", "GET", "uplift_fraud_rule", "read"),
  rule("/admin/fraud/rules", "POST", "uplift_fraud_rule", "create"),
  rule("/admin/fraud/rules/:id", "GET", "uplift_fraud_rule", "read"),
  rule("/admin/fraud/rules/:id", "POST", "uplift_fraud_rule", "update"),
  rule("/admin/fraud/rules/:id", "DELETE", "uplift_fraud_rule", "delete"),
  rule("/admin/fraud/settings", "GET", "uplift_fraud_setting", "read"),
  rule("/admin/fraud/settings", "POST", "uplift_fraud_setting", "update"),
  rule("/admin/fraud/labels", "GET", "uplift_fraud_label", "read"),
  rule("/admin/fraud/labels", "POST", "uplift_fraud_label", "create"),
  rule("/admin/fraud/assessments", "GET", "uplift_fraud_assessment", "read"),
  rule("/admin/discount-policies", "GET", "uplift_discount_policy", "read"),
  rule("/admin/discount-policies", "POST", "uplift_discount_policy", "create"),
  rule("/admin/discount-policies/:id", "GET", "uplift_discount_policy", "read"),
  rule("/admin/discount-policies/:id", "POST", "uplift_discount_policy", "update"),
  rule("/admin/discount-policies/:id", "DELETE", "uplift_discount_policy", "delete"),
  rule("/admin/discount-policies/:id/report", "GET", "uplift_discount_policy", "read"),
]
