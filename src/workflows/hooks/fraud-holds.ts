import type { MedusaContainer } from "@medusajs/framework/types"
import { completeOrderWorkflow, createOrderFulfillmentWorkflow, createOrderShipmentWorkflow } from "@medusajs/medusa/core-flows"
import { assertOrderNotHeld, linkedOrderId } from "../fraud/hold-guard"

/**
 * Hold enforcement inside Medusa's order workflows, whatever route or plugin runs them. These hooks run after
 * the workflow's own steps: a throw rolls the whole workflow back (the fulfillment, shipment or completion
 * is compensated) and the caller gets a 409 naming the hold. A hook takes one handler per process: set the
 * variable named beside each to "off" if your app handles that hook, and call assertOrderNotHeld from your
 * own handler.
 */

function orderOfFulfillment(container: MedusaContainer, fulfillmentId: string): Promise<string | null> {
  return linkedOrderId(container, "order_fulfillment", { fulfillment_id: fulfillmentId })
}

const enabled = (variable: string) => process.env[variable] !== "off"

// UPLIFT_FULFILLMENT_CREATED_HOOK: order fulfillments, including the items of claims and exchanges.
if (enabled("UPLIFT_FULFILLMENT_CREATED_HOOK")) {
  createOrderFulfillmentWorkflow.hooks.fulfillmentCreated(async ({ fulfillment }, { container }) => {
    await assertOrderNotHeld(container, await orderOfFulfillment(container, fulfillment.id), "fulfilling it")
  })
}

// UPLIFT_SHIPMENT_CREATED_HOOK: shipments of order fulfillments.
if (enabled("UPLIFT_SHIPMENT_CREATED_HOOK")) {
  createOrderShipmentWorkflow.hooks.shipmentCreated(async ({ shipment }, { container }) => {
    await assertOrderNotHeld(container, await orderOfFulfillment(container, shipment.id), "shipping it")
  })
}

// UPLIFT_ORDERS_COMPLETED_HOOK: completing orders (a held order can still be rejected, which cancels it).
if (enabled("UPLIFT_ORDERS_COMPLETED_HOOK")) {
  completeOrderWorkflow.hooks.ordersCompleted(async ({ orders }, { container }) => {
    for (const order of orders) await assertOrderNotHeld(container, order.id, "completing it")
  })
}
