import type { LoaderOptions } from "@medusajs/framework/types"
import { asValue } from "@medusajs/framework/awilix"
import { parseUpliftOptions } from "../../../lib/options"

/** Validates the plugin options (boot fails naming the bad option) and hands them to the fraud service. */
export default async function fraudOptionsLoader({ container, options }: LoaderOptions): Promise<void> {
  container.register({ fraudOptions: asValue(parseUpliftOptions(options)) })
}
