import { EventEmitter } from "events"

/**
 * In-process signal that customers' interaction history changed (rows recorded or erased), raised where
 * the rows are written. Listeners (the recommendations cache) refresh what they derived from it; other
 * processes do not hear it and rely on their own freshness checks.
 */
const emitter = new EventEmitter()
emitter.setMaxListeners(50)

export function onHistoryChanged(listener: (customerIds: string[]) => void): () => void {
  emitter.on("changed", listener)
  return () => emitter.off("changed", listener)
}

export function historyChanged(customerIds: Iterable<string | null | undefined>): void {
  const ids = [...new Set([...customerIds].filter(Boolean) as string[])]
  if (ids.length) emitter.emit("changed", ids)
}

/** Customers erased, heard in every process (the uplift service relays the erasure broadcast here). */
export function onCustomersErased(listener: (customerIds: string[]) => void): () => void {
  emitter.on("erased", listener)
  return () => emitter.off("erased", listener)
}

export function customersErased(customerIds: string[]): void {
  if (customerIds.length) emitter.emit("erased", customerIds)
}
