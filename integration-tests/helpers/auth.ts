import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createUserAccountWorkflow } from "@medusajs/medusa/core-flows"

type Api = { post: (url: string, body?: unknown, config?: unknown) => Promise<{ data: any }> }

export interface Headers {
  headers: Record<string, string>
}

/** Creates an admin user with the emailpass provider and logs in through the real auth route. */
export async function adminHeaders(api: Api, container: MedusaContainer, email = "admin@uplift.test"): Promise<Headers> {
  const password = "supersecret-admin"
  const auth = container.resolve(Modules.AUTH)
  const { authIdentity, error } = await auth.register("emailpass", { body: { email, password } } as any)
  if (error || !authIdentity) {
    throw new Error(`admin registration failed: ${error}`)
  }
  await createUserAccountWorkflow(container).run({ input: { authIdentityId: authIdentity.id, userData: { email } } })
  const { data } = await api.post("/auth/user/emailpass", { email, password })
  return { headers: { authorization: `Bearer ${data.token}` } }
}

/** Registers a shopper through the store API (sending `registrationHeaders`, e.g. a device id) and returns headers of the logged-in customer. */
export async function customerHeaders(api: Api, publishableKey: string, email: string, registrationHeaders: Record<string, string> = {}): Promise<Headers & { customerId: string }> {
  const password = "supersecret-shopper"
  const keyHeader = { "x-publishable-api-key": publishableKey }
  const { data: registered } = await api.post("/auth/customer/emailpass/register", { email, password })
  const { data: created } = await api.post(
    "/store/customers",
    { email, first_name: "Test", last_name: "Shopper" },
    { headers: { ...keyHeader, ...registrationHeaders, authorization: `Bearer ${registered.token}` } }
  )
  const { data: login } = await api.post("/auth/customer/emailpass", { email, password })
  return { headers: { ...keyHeader, authorization: `Bearer ${login.token}` }, customerId: created.customer.id }
}
