export interface PaymentEventInput {
  payment_id: string
  event_name: "payment.captured" | "payment.refunded"
}
