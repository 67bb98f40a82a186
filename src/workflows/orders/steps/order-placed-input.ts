export interface OrderPlacedInput {
  order_id: string
}
