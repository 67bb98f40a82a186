import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { recordCartEvent } from "../../../ingestion/record"

export const recordCartContentsStepId = "uplift-cart-record-contents"

export interface CartActivityInput {
  event_name: string
  cart_id: string
}

/**
 * What is in the cart joins the history the models learn from, batched with the other cart events the event
 * bus runs at the same time (src/ingestion/record.ts; a redelivered event stores nothing twice). A fault is
 * raised, so that the event bus can retry the event. No compensation: the cart held what it held.
 */
export const recordCartContentsStep = createStep(recordCartContentsStepId, async ({ event_name, cart_id }: CartActivityInput, { container }) => {
  await recordCartEvent(container, { name: event_name, id: cart_id })
  return new StepResponse(undefined)
})
