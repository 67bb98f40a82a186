import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { refundPaymentsWorkflow, sendNotificationsStep } from "@medusajs/medusa/core-flows"
import { findHeldCapturesStep } from "./steps/find-held-captures"
import { recordHoldEventStep } from "./steps/record-hold-event"

export const refundHeldCapturesWorkflowId = "uplift-fraud-refund-held-captures"

/**
 * Money captured on a held order (a provider that captures at authorization, a payment webhook, a capture
 * through any route) is refunded at once; the hold stays open for review, the refund is recorded in its audit
 * trail and the admin's notification feed says what happened.
 */
export const refundHeldCapturesWorkflow = createWorkflow(refundHeldCapturesWorkflowId, (input: { order_id: string }) => {
  const held = findHeldCapturesStep(input)
  when({ held }, ({ held }) => Boolean(held.hold_id) && held.refunds.length > 0).then(() => {
    refundPaymentsWorkflow.runAsStep({
      input: transform({ held }, ({ held }) => held.refunds.map((r) => ({ ...r, note: "Captured while the order was on fraud hold" }))),
    })
    const total = transform({ held }, ({ held }) => held.refunds.reduce((sum, r) => sum + r.amount, 0))
    recordHoldEventStep(
      transform({ held, total }, ({ held, total }) => ({
        hold_id: held.hold_id!,
        order_id: held.order_id,
        action: "capture_refunded" as const,
        note: `A capture of ${total} arrived while the order was held and was refunded`,
      }))
    )
    sendNotificationsStep(
      transform({ held, total }, ({ held, total }) => [
        {
          to: "",
          channel: "feed",
          template: "admin-ui",
          data: {
            title: "Fraud hold: capture refunded",
            description: `Order ${held.order_label} was charged ${total} while on fraud hold; the plugin refunded it and the hold stays open for review.`,
          },
        },
      ])
    )
  })
  return new WorkflowResponse(held)
})
