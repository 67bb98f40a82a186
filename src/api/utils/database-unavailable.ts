import { errorHandler } from "@medusajs/framework/http"
import type { MedusaErrorHandlerFunction, MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"

/**
 * Medusa answers any database outage with a bare 500 "An unknown error occurred.". The plugin answers 503
 * naming the database instead, so that a client (and the admin UI) can tell "try again shortly" from a bug:
 * on its own admin routes always, and on every route through its error handler unless the merchant's app
 * defines its own.
 */

export const DATABASE_UNAVAILABLE = {
  type: "database_unavailable",
  code: "database_unavailable",
  message: "The store's database is unavailable. Try again in a few seconds.",
}
const RETRY_AFTER_SECONDS = "5"

// Node socket errors on connect or on a dropped connection.
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND", "EAI_AGAIN"])
// Postgres SQLSTATE: class 08 (connection exception), 57P01-57P03 (shutdown, crash, starting up).
const SQLSTATE = /^(08...|57P0[123])$/
// What knex and node-postgres say when the pool cannot get a connection or one dies mid-query.
const MESSAGES = [/Timeout acquiring a connection/i, /Connection terminated/i, /Connection ended unexpectedly/i, /the database system is (starting up|shutting down)/i]

/** Whether an error (or one it wraps) means the database could not be reached, not that a query failed. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 5) return false
  const { code, name, message, cause, previous } = error as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown; previous?: unknown }
  if (typeof code === "string" && (SOCKET_CODES.has(code) || SQLSTATE.test(code))) return true
  if (name === "KnexTimeoutError" || name === "ConnectionException") return true
  if (typeof message === "string" && MESSAGES.some((pattern) => pattern.test(message))) return true
  return isDatabaseUnavailable(cause, depth + 1) || isDatabaseUnavailable(previous, depth + 1)
}

type RouteHandler<Req extends MedusaRequest> = (req: Req, res: MedusaResponse, next?: MedusaNextFunction) => Promise<unknown> | unknown

/** A route handler that answers 503 (with Retry-After) when the database is unreachable; other errors pass on. */
export function withDatabaseErrors<Req extends MedusaRequest>(handler: RouteHandler<Req>) {
  return async function databaseAwareHandler(req: Req, res: MedusaResponse, next?: MedusaNextFunction) {
    try {
      return await handler(req, res, next)
    } catch (error) {
      if (!isDatabaseUnavailable(error) || res.headersSent) throw error
      answerDatabaseUnavailable(req, res, error)
    }
  }
}

/**
 * The app's error handler while the merchant's own middlewares define none (Medusa uses the last one
 * defined, and the app's own comes after the plugins'): database outages answer 503 on every route, Medusa's
 * own included; every other error goes to Medusa's handler unchanged.
 */
export function databaseAwareErrorHandler(): MedusaErrorHandlerFunction {
  const medusaErrorHandler = errorHandler()
  return (error, req, res, next) => {
    if (isDatabaseUnavailable(error) && !res.headersSent) {
      answerDatabaseUnavailable(req, res, error)
      return
    }
    return medusaErrorHandler(error, req, res, next)
  }
}

function answerDatabaseUnavailable(req: MedusaRequest, res: MedusaResponse, error: unknown) {
  req.scope.resolve("logger").warn(`medusa-uplift: ${req.method} ${req.path} answered 503, the database is unavailable: ${(error as Error).message}`)
  res.setHeader("Retry-After", RETRY_AFTER_SECONDS)
  res.status(503).json(DATABASE_UNAVAILABLE)
}
