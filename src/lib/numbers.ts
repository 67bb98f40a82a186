/**
 * Medusa hands money and quantities over as numbers, numeric strings, its BigNumber (`numeric`), raw
 * values (`{ value }`) or bignumber.js instances (`toNumber()`), depending on the path. Anything missing
 * or not a finite number reads as 0, so a malformed amount never poisons a total.
 */
export function toNumber(value: unknown): number {
  if (value === null || value === undefined) {
    return 0
  }
  if (typeof value === "object") {
    const bigNumber = value as { numeric?: unknown; value?: unknown; toNumber?: () => number }
    if (typeof bigNumber.toNumber === "function") {
      return toNumber(bigNumber.toNumber())
    }
    return toNumber(bigNumber.numeric ?? bigNumber.value)
  }
  const parsed = Number(value)
  return Number.isFinite(parsed) ? parsed : 0
}
