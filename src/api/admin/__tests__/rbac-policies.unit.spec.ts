import { readdirSync, readFileSync } from "fs"
import { join, relative } from "path"
import { rbacPolicyMiddlewares } from "../rbac-policies"
import { UPLIFT_RBAC_RESOURCES, upliftPolicies } from "../../../policies/uplift"

const ADMIN = join(__dirname, "..")

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? routeFiles(join(dir, entry.name)) : entry.name === "route.ts" ? [join(dir, entry.name)] : []
  )
}

/** Every handler of the fraud and discount-policy admin routes, as "METHOD /admin/..." with :params. */
function handlers(): string[] {
  return ["fraud", "discount-policies"].flatMap((area) =>
    routeFiles(join(ADMIN, area)).flatMap((file) => {
      const matcher = "/admin/" + relative(ADMIN, file).replace(/\/route\.ts$/, "").replace(/\[(\w+)\]/g, ":$1")
      return [...readFileSync(file, "utf8").matchAll(/export const (GET|POST|DELETE)\b/g)].map((m) => `${m[1]} ${matcher}`)
    })
  )
}

describe("RBAC policies of the plugin's admin routes", () => {
  it("every fraud and discount-policy route declares a policy on a resource the plugin defines", () => {
    const declared = new Map(rbacPolicyMiddlewares.map((r) => [`${(r.methods as string[])[0]} ${r.matcher}`, (r as any).policies]))
    const routes = handlers()
    expect(routes).toEqual(expect.arrayContaining(["POST /admin/fraud/holds/:id/release", "POST /admin/fraud/holds/:id/reject", "POST /admin/fraud/settings", "POST /admin/discount-policies/:id"]))
    expect(routes.filter((route) => !declared.has(route))).toEqual([])
    const defined = new Set(upliftPolicies.policies.map((p) => `${p.resource}:${p.operation}`))
    for (const [, policies] of declared) for (const p of policies) expect(defined).toContain(`${p.resource}:${p.operation}`)
    expect(UPLIFT_RBAC_RESOURCES.length).toBe(6)
  })
})
