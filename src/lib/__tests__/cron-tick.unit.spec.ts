import { dueTick } from "../cron-tick"

const at = (hours: number, minutes: number, seconds = 0) => new Date(2026, 11, 2, hours, minutes, seconds)
const WINDOW = 5 * 60_000

describe("dueTick", () => {
  it("is the tick a minutely job sees within the window after it, and nothing before or later", () => {
    expect(dueTick("0 3 * * *", at(3, 0), WINDOW)).toEqual(at(3, 0))
    expect(dueTick("0 3 * * *", at(3, 4, 59), WINDOW)).toEqual(at(3, 0))
    expect(dueTick("0 3 * * *", at(3, 5), WINDOW)).toBeNull()
    expect(dueTick("0 3 * * *", at(2, 59, 59), WINDOW)).toBeNull()
  })

  it("follows the latest tick of a frequent schedule", () => {
    expect(dueTick("*/15 * * * *", at(10, 31), WINDOW)).toEqual(at(10, 30))
    expect(dueTick("*/15 * * * *", at(10, 40), WINDOW)).toBeNull()
  })
})
