import Medusa, { FetchError } from "@medusajs/js-sdk"

/** The admin's own session: the dashboard has already logged the user in. */
export const sdk = new Medusa({
  baseUrl: (typeof __BACKEND_URL__ !== "undefined" && __BACKEND_URL__) || "/",
  auth: { type: "session" },
})

export type Query = Record<string, string | number | boolean | undefined | null>

function clean(query?: Query): Record<string, string | number | boolean> | undefined {
  if (!query) return undefined
  const out: Record<string, string | number | boolean> = {}
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") out[key] = value
  }
  return out
}

export function apiGet<T>(path: string, query?: Query): Promise<T> {
  return sdk.client.fetch<T>(path, { method: "GET", query: clean(query) })
}

export function apiPost<T>(path: string, body: Record<string, unknown> = {}): Promise<T> {
  return sdk.client.fetch<T>(path, { method: "POST", body })
}

export function apiDelete<T>(path: string): Promise<T> {
  return sdk.client.fetch<T>(path, { method: "DELETE" })
}

export function statusOf(error: unknown): number | undefined {
  if (error instanceof FetchError) return error.status
  const status = (error as { status?: unknown } | null)?.status
  return typeof status === "number" ? status : undefined
}

/** A route that answers 404 is a feature not installed (yet) in this store, not an error to shout about. */
export function isUnavailable(error: unknown): boolean {
  return statusOf(error) === 404
}

export function messageOf(error: unknown): string {
  if (error instanceof Error && error.message) return error.message
  return "Something went wrong"
}
