import type { MedusaContainer } from "@medusajs/framework/types"
import { FeatureFlag, Modules } from "@medusajs/framework/utils"
import { createUsersWorkflow } from "@medusajs/medusa/core-flows"

/**
 * The demo's admin login, created as `medusa user -e -p` creates one (a user, with the super admin role where
 * RBAC is on, and an emailpass identity naming it), inside the seed's process instead of a third boot of
 * Medusa. An existing user or login is left alone, so a re-run keeps a password the merchant changed.
 * Returns whether it was created.
 */
export async function ensureAdminUser(container: MedusaContainer, email: string, password: string): Promise<"created" | "exists"> {
  const auth = container.resolve(Modules.AUTH)
  const users = container.resolve(Modules.USER)
  const [[user], identities] = await Promise.all([
    users.listUsers({ email }, { select: ["id"], take: 1 }),
    auth.listProviderIdentities({ provider: "emailpass", entity_id: email }, { select: ["id"] }),
  ])
  if (user && identities.length) return "exists"
  if (user || identities.length) throw new Error(`admin user ${email} is half created (user or login missing): run npm run demo -- --reset`)
  const { result: [created] } = await createUsersWorkflow(container).run({ input: { users: [{ email, roles: await superAdminRoles(container) } as any] } })
  const registered = await auth.register("emailpass", { body: { email, password } })
  if (!registered.success || !registered.authIdentity) throw new Error(`could not create the admin login ${email}: ${registered.error}`)
  await auth.updateAuthIdentities({ id: registered.authIdentity.id, app_metadata: { user_id: created.id } })
  return "created"
}

/** The super admin role where Medusa's RBAC feature is on (what `medusa user` assigns), else none. */
async function superAdminRoles(container: MedusaContainer): Promise<string[]> {
  if (!FeatureFlag.isFeatureEnabled("rbac")) return []
  const rbac = container.resolve(Modules.RBAC as any) as { listRbacRoles: (filter: { id: string }) => Promise<{ id: string }[]> }
  const roles = await rbac.listRbacRoles({ id: "role_super_admin" })
  return roles.slice(0, 1).map((role) => role.id)
}
