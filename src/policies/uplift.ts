import { definePolicies } from "@medusajs/framework/utils"

/**
 * RBAC resources of the plugin's admin routes (Medusa's rbac feature flag): a role needs e.g.
 * update on uplift_fraud_hold to release or reject holds. Without the flag Medusa ignores them.
 */
export const UPLIFT_RBAC_RESOURCES = [
  "uplift_fraud_hold",
  "uplift_fraud_rule",
  "uplift_fraud_setting",
  "uplift_fraud_label",
  "uplift_fraud_assessment",
  "uplift_discount_policy",
] as const

const OPERATIONS = ["read", "create", "update", "delete"] as const

const pascal = (text: string) => text.replace(/(^|_)([a-z])/g, (_, __, letter: string) => letter.toUpperCase())

export const upliftPolicies = definePolicies(
  UPLIFT_RBAC_RESOURCES.flatMap((resource) =>
    OPERATIONS.map((operation) => ({
      name: `${pascal(operation)}${pascal(resource)}`,
      resource,
      operation,
      description: `${pascal(operation)} ${resource.replace(/_/g, " ")}`,
    }))
  )
)
