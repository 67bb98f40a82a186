export type InteractionKind =
  | "cart_item"
  | "purchase"
  | "cancel"
  | "return"
  | "payment_captured"
  | "payment_refunded"

/** A normalized interaction as subscribers and the seed produce it. */
export interface InteractionInput {
  dedupe_key: string
  kind: InteractionKind
  source?: "event" | "seed"
  customer_id?: string | null
  cart_id?: string | null
  order_id?: string | null
  product_id?: string | null
  variant_id?: string | null
  quantity: number
  value: number
  currency_code?: string | null
  occurred_at: Date | string
}

export interface CustomerProfileInput {
  customer_id: string
  email?: string | null
  has_account?: boolean
  signed_up_at?: Date | string | null
  attributes?: Record<string, unknown> | null
}

export const JOB_NAMES = {
  ingestInteractions: "ingest-interactions",
  refreshCustomer: "refresh-customer",
} as const

/** The training queue's job that trains one model (its data: run_id, model and the TrainingInputs). */
export const TRAIN_JOB = "train"
