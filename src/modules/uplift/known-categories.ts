/**
 * Category names of products as this process last read them (from the product module, by the decision's
 * shopper features): categories change rarely, so a repeat shopper's history costs no read. Bounded: past
 * `kept` products it starts over. Owned by the uplift module service, one per process.
 */
export class KnownCategories {
  private readonly names = new Map<string, string[]>()

  constructor(private readonly kept = 20_000) {}

  /** Of these products, those whose categories were never read (each once). */
  unknown(productIds: string[]): string[] {
    return [...new Set(productIds)].filter((id) => !this.names.has(id))
  }

  /** Keeps what a read found for `productIds`: a product it did not return has no categories. */
  remember(productIds: string[], found: { id: string; categories: string[] }[]): void {
    if (this.names.size + productIds.length > this.kept) this.names.clear()
    for (const id of productIds) this.names.set(id, [])
    for (const product of found) this.names.set(product.id, product.categories)
  }

  /** The known category names of each product (empty when unknown). */
  of(productIds: string[]): Map<string, string[]> {
    return new Map(productIds.map((id) => [id, this.names.get(id) ?? []]))
  }
}
