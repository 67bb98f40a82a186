import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { openHoldOfOrder } from "../hold-guard"

export const findHeldCapturesStepId = "uplift-fraud-find-held-captures"

export interface HeldCaptures {
  hold_id: string | null
  order_id: string
  order_label: string
  /** Captured and not yet refunded, per payment of the held order. */
  refunds: { payment_id: string; amount: number }[]
}

type PaymentRow = { id: string; captures?: { amount: number }[]; refunds?: { amount: number }[] }

const sum = (rows: { amount: number }[] | undefined) => (rows ?? []).reduce((total, row) => total + Number(row.amount), 0)

/** The money captured on an order while it is held (nothing when the order is not held). Reads only. */
export const findHeldCapturesStep = createStep(findHeldCapturesStepId, async (input: { order_id: string }, { container }) => {
  const held = await openHoldOfOrder(container, input.order_id)
  if (!held) return new StepResponse<HeldCaptures>({ hold_id: null, order_id: input.order_id, order_label: "", refunds: [] })
  const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "order",
    fields: ["payment_collections.payments.id", "payment_collections.payments.captures.amount", "payment_collections.payments.refunds.amount"],
    filters: { id: input.order_id },
  })
  const payments = ((data[0] as any)?.payment_collections ?? []).flatMap((c: { payments?: PaymentRow[] }) => c.payments ?? []) as PaymentRow[]
  const refunds = payments
    .map((p) => ({ payment_id: p.id, amount: sum(p.captures) - sum(p.refunds) }))
    .filter((r) => r.amount > 0)
  return new StepResponse<HeldCaptures>({ hold_id: held.hold.id, order_id: held.order_id, order_label: held.order_label, refunds })
})
