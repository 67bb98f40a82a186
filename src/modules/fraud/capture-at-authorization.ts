import { MedusaError } from "@medusajs/framework/utils"

export interface CartPaymentSessions {
  payment_collection?: { payment_sessions?: { provider_id: string; status?: string | null; data?: Record<string, unknown> | null }[] | null } | null
}

/**
 * Whether completing the cart would capture money at once: a payment session to be authorized whose provider
 * the merchant lists as capturing at authorization, or whose data asks for it (Stripe's capture_method
 * "automatic", which a shopper can put in the session's data).
 */
export function capturesAtAuthorization(cart: CartPaymentSessions, autoCaptureProviders: string[]): boolean {
  return (cart.payment_collection?.payment_sessions ?? []).some(
    (session) =>
      (session.status ?? "pending") === "pending" && (autoCaptureProviders.includes(session.provider_id) || session.data?.capture_method === "automatic")
  )
}

export function heldAutoCaptureRefused(assessmentId: string): MedusaError {
  return new MedusaError(
    MedusaError.Types.NOT_ALLOWED,
    `This order needs a review by the store before payment is taken, and the chosen payment method charges at once (reference ${assessmentId}). Choose a payment method that only authorizes the amount, or contact the store.`
  )
}
