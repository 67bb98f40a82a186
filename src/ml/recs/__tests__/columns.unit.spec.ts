import { columnBuffers, interactionsOf, PurchaseColumnsBuilder, purchaseCount } from "../columns"

describe("purchase columns", () => {
  it("give back every purchase as the trainer's interaction, in the order they were added", () => {
    const builder = new PurchaseColumnsBuilder()
    const expected: any[] = []
    // More purchases than the builder's first capacity, so that its arrays grow.
    for (let k = 0; k < 2_500; k++) {
      const row = { user: `cus_${k % 37}`, item: `prod_${k % 101}`, basket: k % 5 === 0 ? null : `order_${Math.floor(k / 3)}`, time: 1_700_000_000 + k * 0.5, quantity: (k % 4) + 1, value: k * 0.01 }
      builder.add(row.user, row.item, row.basket, row.time, row.quantity, row.value)
      expected.push({ user: row.user, item: row.item, basket: row.basket ?? undefined, time: row.time, quantity: row.quantity, value: row.value })
    }
    const columns = builder.build()
    expect(purchaseCount(columns)).toBe(2_500)
    expect(columns.users).toHaveLength(37)
    expect(columns.items).toHaveLength(101)
    expect(interactionsOf(columns)).toEqual(expected)
  })

  it("move to another thread without copying their arrays, and the interactions rebuilt there share one string per id", () => {
    const builder = new PurchaseColumnsBuilder()
    for (let k = 0; k < 10; k++) builder.add("cus_1", `prod_${k % 2}`, "order_1", 1_700_000_000, 1, 2.5)
    const columns = builder.build()
    const moved = structuredClone(columns, { transfer: columnBuffers(columns) })
    expect(columns.user.length).toBe(0) // detached here: moved, not copied
    const interactions = interactionsOf(moved)
    expect(interactions).toHaveLength(10)
    expect(new Set(interactions.map((x) => x.user))).toEqual(new Set(["cus_1"]))
    expect(interactions[0].basket).toBe(moved.baskets[0])
  })

  it("keep a quantity or value that was not given as not given", () => {
    const columns = PurchaseColumnsBuilder.of([{ user: "cus_1", item: "prod_1", time: 1_700_000_000 }, { user: "cus_1", item: "prod_2", time: 1_700_000_001, quantity: 2, value: 0 }])
    const [first, second] = interactionsOf(columns)
    expect(first).toEqual({ user: "cus_1", item: "prod_1", time: 1_700_000_000, basket: undefined, quantity: undefined, value: undefined })
    expect(second).toMatchObject({ quantity: 2, value: 0 })
  })
})
