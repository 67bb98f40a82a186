import { isDatabaseUnavailable } from "../database-unavailable"

describe("isDatabaseUnavailable", () => {
  it.each([
    ["knex pool timeout", Object.assign(new Error("Knex: Timeout acquiring a connection. The pool is probably full."), { name: "KnexTimeoutError" })],
    ["connection refused", Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" })],
    ["server shutting down (57P01)", Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" })],
    ["server starting up (57P03)", Object.assign(new Error("the database system is starting up"), { code: "57P03" })],
    ["connection dropped mid-query", new Error("Connection terminated unexpectedly")],
    ["wrapped in a cause", Object.assign(new Error("query failed"), { cause: Object.assign(new Error("x"), { code: "08006" }) })],
  ])("recognises %s", (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true)
  })

  it.each([
    ["a unique violation", Object.assign(new Error("duplicate key value violates unique constraint"), { code: "23505" })],
    ["a missing record", Object.assign(new Error("Discount policy with id: x was not found"), { type: "not_found" })],
    ["a plain bug", new TypeError("Cannot read properties of undefined")],
    ["no error at all", undefined],
  ])("does not take %s for an outage", (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false)
  })
})
