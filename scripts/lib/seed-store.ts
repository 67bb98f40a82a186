import type { ExecArgs } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createUserAccountWorkflow } from "@medusajs/medusa/core-flows"
import * as fs from "fs"
import { createTestStore } from "../../integration-tests/helpers/store"

/**
 * `medusa exec` seed for commands that boot the store (benchmarks, the Postgres restart test): the small
 * selling store of the integration tests with $SEED_PRODUCTS products (default 2), and the admin user
 * $SEED_ADMIN_EMAIL / $SEED_ADMIN_PASSWORD when given (one boot instead of a separate `medusa user`).
 * Writes the ids the caller needs to $SEED_OUT.
 */
export default async function seedStore({ container }: ExecArgs) {
  const out = process.env.SEED_OUT
  if (!out) throw new Error("SEED_OUT not set")
  const store = await createTestStore(container, Number(process.env.SEED_PRODUCTS || 2))
  if (process.env.SEED_ADMIN_EMAIL) await createAdmin(container, process.env.SEED_ADMIN_EMAIL, process.env.SEED_ADMIN_PASSWORD ?? "")
  fs.writeFileSync(out, JSON.stringify(store))
}

async function createAdmin(container: ExecArgs["container"], email: string, password: string) {
  const { authIdentity, error } = await container.resolve(Modules.AUTH).register("emailpass", { body: { email, password } } as any)
  if (error || !authIdentity) throw new Error(`admin registration failed: ${error}`)
  await createUserAccountWorkflow(container).run({ input: { authIdentityId: authIdentity.id, userData: { email } } })
}
