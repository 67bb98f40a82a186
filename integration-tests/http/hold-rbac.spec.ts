/**
 * @jest-environment ./src/ml/testing/node-realm-environment.js
 */
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, FeatureFlag, Modules } from "@medusajs/framework/utils"
import { createRbacRolesWorkflow, createUserAccountWorkflow } from "@medusajs/medusa/core-flows"
import { responseOf } from "../helpers/fraud"

jest.setTimeout(240_000)
// Medusa's role-based access control (a feature flag in 2.21): the plugin's admin routes require its policies.
process.env.MEDUSA_FF_RBAC = "true"
// defineConfig decides whether to load the RBAC module before Medusa reads the flags from the environment.
FeatureFlag.setFlag("rbac", true)

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    /** An admin user holding one role with the given policies (keys "resource:operation"), logged in. */
    async function adminWithPolicies(email: string, policyKeys: string[]) {
      const container = getContainer()
      const password = "supersecret-admin"
      const { authIdentity } = await container.resolve(Modules.AUTH).register("emailpass", { body: { email, password } } as any)
      const { result: user } = await createUserAccountWorkflow(container).run({ input: { authIdentityId: authIdentity!.id, userData: { email } } })
      const policies = await container.resolve(Modules.RBAC).listRbacPolicies({ key: policyKeys })
      expect(policies.map((p: any) => p.key).sort()).toEqual([...policyKeys].sort())
      const { result: roles } = await createRbacRolesWorkflow(container).run({ input: { roles: [{ name: `role of ${email}`, policy_ids: policies.map((p: any) => p.id) }] } as any })
      await container.resolve(ContainerRegistrationKeys.LINK).create({ [Modules.USER]: { user_id: user.id }, [Modules.RBAC]: { rbac_role_id: (roles as any)[0].id } })
      const { data } = await api.post("/auth/user/emailpass", { email, password })
      return { headers: { authorization: `Bearer ${data.token}` } }
    }

    it("a role without update on uplift_fraud_hold cannot release or reject holds, nor change rules or thresholds", async () => {
      const viewer = await adminWithPolicies("viewer@uplift.test", ["uplift_fraud_hold:read", "uplift_fraud_rule:read"])
      const reviewer = await adminWithPolicies("reviewer@uplift.test", ["uplift_fraud_hold:read", "uplift_fraud_hold:update"])

      expect((await responseOf(api.get("/admin/fraud/holds", viewer))).status).toBe(200)
      for (const action of ["release", "reject"]) {
        const refused = await responseOf(api.post(`/admin/fraud/holds/fhold_missing/${action}`, {}, viewer))
        expect([refused.status, refused.data.message]).toEqual([403, expect.stringContaining("uplift_fraud_hold:update")])
        // The reviewer passes the policy check and reaches the route (the hold does not exist).
        expect((await responseOf(api.post(`/admin/fraud/holds/fhold_missing/${action}`, {}, reviewer))).status).toBe(404)
      }
      const rule = { name: "r", action: "hold", conditions: [{ field: "order.total", operator: "gte", value: 1 }] }
      expect((await responseOf(api.post("/admin/fraud/rules", rule, viewer))).status).toBe(403)
      expect((await responseOf(api.post("/admin/fraud/settings", { hold_score: 10 }, reviewer))).status).toBe(403)
      expect((await responseOf(api.post("/admin/discount-policies/dpol_missing", { name: "x" }, reviewer))).status).toBe(403)
    })
  },
})
