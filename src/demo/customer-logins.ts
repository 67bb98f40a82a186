import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"

/** How many seeded households get a storefront login (the first ones by household id). */
export const DEMO_LOGIN_COUNT = 5
/** `npm run demo` passes DEMO_SHOPPER_PASSWORD and prints it; this default is the same as its own. */
export const DEFAULT_DEMO_SHOPPER_PASSWORD = "uplift-shopper"

/**
 * Gives `emails` (existing customers) an emailpass login, as Medusa's own registration does: an auth identity
 * whose app_metadata names the customer, and the customer marked as having an account. Emails that already
 * have a login are left alone, so a re-run keeps the password a merchant may have changed. Returns the emails.
 */
export async function ensureCustomerLogins(container: MedusaContainer, emails: string[], password: string): Promise<string[]> {
  const auth = container.resolve(Modules.AUTH)
  const customerModule = container.resolve(Modules.CUSTOMER)
  const customers = await customerModule.listCustomers({ email: emails }, { select: ["id", "email"] })
  const identities = await Promise.all(emails.map((email) => auth.listProviderIdentities({ provider: "emailpass", entity_id: email }, { select: ["entity_id"] })))
  const withLogin = new Set(identities.flat().map((identity) => identity.entity_id))
  for (const customer of customers.filter((customer) => !withLogin.has(customer.email!))) {
    const registered = await auth.register("emailpass", { body: { email: customer.email!, password } })
    if (!registered.success || !registered.authIdentity) {
      throw new Error(`could not create the demo login ${customer.email}: ${registered.error}`)
    }
    await auth.updateAuthIdentities({ id: registered.authIdentity.id, app_metadata: { customer_id: customer.id } })
    // has_account is a column of the customer model that its update type leaves out; registration sets it.
    await customerModule.updateCustomers(customer.id, { has_account: true } as Parameters<typeof customerModule.updateCustomers>[1])
  }
  return customers.map((customer) => customer.email!).sort()
}
