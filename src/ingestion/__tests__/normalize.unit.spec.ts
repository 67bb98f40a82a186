import { cartInteractions, orderInteractions, returnInteractions } from "../normalize"

const order = {
  id: "order_1",
  customer_id: "cus_1",
  currency_code: "usd",
  created_at: "2026-01-02T00:00:00Z",
  items: [
    { id: "li_1", product_id: "prod_1", variant_id: "var_1", quantity: { value: "2" }, unit_price: 20 },
    { id: "li_2", product_id: "prod_2", variant_id: "var_2", quantity: 1, unit_price: "30" },
  ],
}

describe("event normalization", () => {
  it("turns a received return into return interactions priced at the line's unit price", () => {
    const rows = returnInteractions(order, { id: "ret_1", items: [{ item_id: "li_1", quantity: 1 }, { item_id: "unknown", quantity: 1 }] })
    expect(rows).toEqual([
      expect.objectContaining({ dedupe_key: "return:ret_1:li_1", kind: "return", customer_id: "cus_1", variant_id: "var_1", quantity: 1, value: 20 }),
    ])
  })

  it("keys purchases by order line and carts by content, so redelivery is idempotent", () => {
    const purchases = orderInteractions(order, "purchase")
    expect(purchases.map((row) => [row.dedupe_key, row.quantity, row.value])).toEqual([
      ["purchase:order_1:li_1", 2, 40],
      ["purchase:order_1:li_2", 1, 30],
    ])
    const cart = { id: "cart_1", customer_id: null, items: order.items }
    expect(cartInteractions(cart).map((row) => row.dedupe_key)).toEqual(["cart:cart_1:guest:var_1:2", "cart:cart_1:guest:var_2:1"])
  })
})
