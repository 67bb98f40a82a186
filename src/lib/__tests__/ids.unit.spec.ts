import { generateEntityId } from "@medusajs/framework/utils"
import { entityIdFloor, entityIds } from "../ids"

describe("entityIds", () => {
  it("gives ids shaped like Medusa's (prefix, 26 base32 characters), all different", () => {
    const ids = entityIds("uint", 20_000)
    const medusa = generateEntityId(undefined, "uint")
    expect(new Set(ids).size).toBe(20_000)
    for (const id of [...ids.slice(0, 100), medusa]) expect(id).toMatch(/^uint_[0-9A-HJKMNP-TV-Z]{26}$/)
  })

  it("starts with the time, as a ULID does, so ids of later batches sort after earlier ones", () => {
    const [earlier] = entityIds("uint", 1, Date.UTC(2026, 0, 1))
    const [later] = entityIds("uint", 1, Date.UTC(2026, 0, 1) + 1)
    expect(earlier.slice(5, 15) < later.slice(5, 15)).toBe(true)
    // The same time part as Medusa's ULIDs: ids made a moment apart name the same moment.
    const time = (id: string) => [...id.slice(5, 15)].reduce((ms, char) => ms * 32 + "0123456789ABCDEFGHJKMNPQRSTVWXYZ".indexOf(char), 0)
    expect(Math.abs(time(entityIds("uint", 1)[0]) - time(generateEntityId(undefined, "uint")))).toBeLessThan(1_000)
    expect(Math.abs(time(entityIds("uint", 1)[0]) - Date.now())).toBeLessThan(1_000)
  })

  it("floors the ids minted from a moment on: every id minted then or later sorts at or after it, earlier ones before", () => {
    const at = Date.UTC(2026, 11, 7, 10, 0, 0)
    const floor = entityIdFloor("uint", at)
    for (const id of [...entityIds("uint", 50, at), ...entityIds("uint", 50, at + 1), ...entityIds("uint", 50, at + 86_400_000)]) expect(id >= floor).toBe(true)
    for (const id of [...entityIds("uint", 50, at - 1), ...entityIds("uint", 50, at - 86_400_000)]) expect(id < floor).toBe(true)
  })
})
