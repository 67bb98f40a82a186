import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { z } from "@medusajs/framework/zod"
import type { Recommendation } from "./recommend"

const ID = /^[A-Za-z0-9_-]{1,100}$/

/** Query of the recommendation routes; unknown parameters and bad values get a 400 naming the field. */
export const RecommendationQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(50).default(12),
    region_id: z.string().regex(ID, "must be an id").optional(),
    cart_id: z.string().regex(ID, "must be an id").optional(),
  })
  .strict()

export const SimilarQuery = RecommendationQuery.omit({ cart_id: true })

export function parseQuery<T extends z.ZodTypeAny>(schema: T, query: unknown): z.infer<T> {
  const parsed = schema.safeParse(query)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const field = issue.path.length ? issue.path.join(".") : (issue as any).keys?.join(", ") ?? "query"
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `Invalid query parameter "${field}": ${issue.message}`)
  }
  return parsed.data
}

export function assertId(value: string, field: string): void {
  if (!ID.test(value)) throw new MedusaError(MedusaError.Types.INVALID_DATA, `Invalid ${field}: must be an id`)
}

export interface ShopperScope {
  regionId: string | null
  salesChannelIds: string[]
  cartProductIds: string[]
}

/**
 * Region, sales channels and cart products for a request: the cart's (when `cart_id` names a cart of this
 * shopper: their own, or a guest cart for guests), else the query's region and the publishable key's
 * channels. A cart of another customer is answered 404, as if it did not exist.
 */
export async function shopperScope(
  container: MedusaContainer,
  input: { region_id?: string; cart_id?: string },
  keyChannels: string[],
  customerId: string | null
): Promise<ShopperScope> {
  if (!input.cart_id) return { regionId: input.region_id ?? null, salesChannelIds: keyChannels, cartProductIds: [] }
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "cart",
    fields: ["id", "customer_id", "region_id", "sales_channel_id", "items.product_id"],
    filters: { id: input.cart_id },
  })
  const cart = data[0] as any
  if (!cart || (cart.customer_id ?? null) !== customerId) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Cart with id: ${input.cart_id} was not found`)
  }
  return {
    regionId: input.region_id ?? cart.region_id ?? null,
    salesChannelIds: cart.sales_channel_id ? [cart.sales_channel_id] : keyChannels,
    cartProductIds: (cart.items ?? []).map((item: any) => item.product_id).filter(Boolean),
  }
}

/** What the storefront sees of a recommendation (no costs, no scores). */
export function present(rec: Recommendation) {
  const { cost: _cost, ...visible } = rec
  return visible
}
