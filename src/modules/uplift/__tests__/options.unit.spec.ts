import { parseUpliftOptions } from "../options"

describe("plugin options", () => {
  it("applies documented defaults", () => {
    expect(parseUpliftOptions({})).toMatchObject({
      queuePrefix: "{uplift}",
      executionProviders: ["cuda", "cpu"],
      fraudFailClosed: false,
    })
  })

  it.each([
    [{ executionProviders: ["gpu"] }, /"executionProviders.0"/],
    [{ redisUrl: "localhost:6379" }, /"redisUrl": must be a redis:\/\//],
    [{ queuePrefix: "uplift" }, /"queuePrefix": must be a Redis Cluster hash tag/],
    [{ defaultMarginPercent: 140 }, /"defaultMarginPercent"/],
    [{ exectionProviders: ["cpu"] }, /exectionProviders/],
  ])("rejects %j naming the option", (options, message) => {
    expect(() => parseUpliftOptions(options)).toThrow(message)
  })

  it("ignores keys Medusa adds to module options", () => {
    expect(() => parseUpliftOptions({ database: {}, providers: [] })).not.toThrow()
  })
})
