import { DEFAULT_HASH_SALT, hashSalt, parseUpliftOptions } from "../options"
import { compileTrustedProxies } from "../trusted-proxies"

describe("plugin options", () => {
  it("applies documented defaults", () => {
    expect(parseUpliftOptions({})).toMatchObject({
      queuePrefix: "{uplift}",
      executionProviders: ["cuda", "cpu"],
      fraudFailClosed: false,
      ingestionCartReads: "tables",
    })
  })

  it.each([
    [{ executionProviders: ["gpu"] }, /"executionProviders.0"/],
    [{ redisUrl: "localhost:6379" }, /"redisUrl": must be a redis:\/\//],
    [{ queuePrefix: "uplift" }, /"queuePrefix": must be a Redis Cluster hash tag/],
    [{ defaultMarginPercent: 140 }, /"defaultMarginPercent"/],
    [{ exectionProviders: ["cpu"] }, /exectionProviders/],
    [{ trustProxy: ["10.0.0.0/99"] }, /"trustProxy": must be true, false/],
    [{ clientSignalRateLimit: { perIp: 0 } }, /"clientSignalRateLimit.perIp"/],
    [{ profileAttributes: "age" }, /"profileAttributes"/],
    [{ ingestionCartReads: "sql" }, /"ingestionCartReads"/],
  ])("rejects %j naming the option", (options, message) => {
    expect(() => parseUpliftOptions(options)).toThrow(message)
  })

  it("ignores keys Medusa adds to module options", () => {
    expect(() => parseUpliftOptions({ database: {}, providers: [] })).not.toThrow()
  })

  it("takes the salt from the option, then UPLIFT_HASH_SALT, then the public default outside production", () => {
    expect(hashSalt("option-salt", { UPLIFT_HASH_SALT: "env-salt" })).toBe("option-salt")
    expect(hashSalt(undefined, { UPLIFT_HASH_SALT: "env-salt" })).toBe("env-salt")
    expect(hashSalt(undefined, { NODE_ENV: "test" })).toBe(DEFAULT_HASH_SALT)
  })

  it.each([[undefined], [DEFAULT_HASH_SALT], ["short-salt"]])("refuses the salt %j in production, naming the option", (salt) => {
    expect(() => hashSalt(salt, { NODE_ENV: "production" })).toThrow(/invalid plugin option "hashSalt"/)
    expect(hashSalt("a-long-enough-secret-salt", { NODE_ENV: "production" })).toBe("a-long-enough-secret-salt")
  })

  it("trusts X-Forwarded-For only from the configured proxies", () => {
    const privateNetworks = compileTrustedProxies(parseUpliftOptions({}).trustProxy)
    expect(privateNetworks("10.1.2.3", 0)).toBe(true)
    expect(privateNetworks("127.0.0.1", 0)).toBe(true)
    expect(privateNetworks("203.0.113.9", 0)).toBe(false)
    expect(compileTrustedProxies(false)("127.0.0.1", 0)).toBe(false)
    expect(compileTrustedProxies(1)("203.0.113.9", 0)).toBe(true)
    expect(compileTrustedProxies(1)("203.0.113.9", 1)).toBe(false)
    expect(compileTrustedProxies("203.0.113.0/24")("203.0.113.9", 0)).toBe(true)
  })
})
