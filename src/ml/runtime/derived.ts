/**
 * Data derived from an immutable model (compiled arrays, id indexes), held by the model object itself as a
 * non-enumerable symbol property instead of in a file-level cache: it is never serialized nor cloned to a
 * thread, and it goes away with the model. A frozen owner just computes it each time.
 */
export function derivedOf<T extends object, V>(owner: T, key: symbol, compute: (owner: T) => V): V {
  const held = (owner as Record<symbol, V | undefined>)[key]
  if (held !== undefined) return held
  const value = compute(owner)
  if (Object.isExtensible(owner)) Object.defineProperty(owner, key, { value, enumerable: false, configurable: false, writable: false })
  return value
}
