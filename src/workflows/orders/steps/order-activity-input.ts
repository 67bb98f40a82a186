export interface OrderActivityInput {
  event_name: "order.canceled" | "order.return_received"
  order_id: string
  /** The return received (order.return_received); without it nothing is recorded for the event. */
  return_id?: string | null
}
