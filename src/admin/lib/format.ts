/** Display helpers shared by pages and widgets. */

export function money(amount: number | null | undefined, currency?: string | null): string {
  if (amount === null || amount === undefined || Number.isNaN(amount)) return "-"
  if (!currency) return amount.toLocaleString(undefined, { maximumFractionDigits: 2 })
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency: currency.toUpperCase(), maximumFractionDigits: 2 }).format(amount)
  } catch {
    return `${amount.toFixed(2)} ${currency.toUpperCase()}`
  }
}

export function num(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "-"
  return value.toLocaleString(undefined, { maximumFractionDigits: digits })
}

/** A rate in [0, 1] as a percentage. */
export function rate(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "-"
  return `${(value * 100).toFixed(digits)}%`
}

/**
 * A 95% interval of zero width comes from a sample with no spread (a day of a handful of customers, none of
 * whom bought): it says nothing is known, not that the value is exact.
 */
export function knownInterval(ci: [number, number] | null | undefined): ci is [number, number] {
  return !!ci && ci[1] > ci[0]
}

/** Whether a 95% interval excludes zero: never for one of zero width (see knownInterval). */
export function clearOfZero(ci: [number, number] | null | undefined): boolean {
  return knownInterval(ci) && (ci[0] > 0 || ci[1] < 0)
}

export function interval(ci: [number, number] | null | undefined, format: (v: number) => string = (v) => num(v)): string {
  if (!ci) return "-"
  if (!knownInterval(ci)) return "too few customers to tell"
  return `[${format(ci[0])}, ${format(ci[1])}]`
}

export function date(value: string | Date | null | undefined): string {
  if (!value) return "-"
  const d = new Date(value)
  return Number.isNaN(d.getTime()) ? "-" : d.toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" })
}

export function dateTime(value: string | Date | null | undefined): string {
  if (!value) return "-"
  const d = new Date(value)
  return Number.isNaN(d.getTime()) ? "-" : d.toLocaleString(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" })
}

export function bytes(value: number | null | undefined): string {
  if (!value) return "-"
  if (value < 1024) return `${value} B`
  if (value < 1024 ** 2) return `${(value / 1024).toFixed(1)} KB`
  return `${(value / 1024 ** 2).toFixed(1)} MB`
}

export function humanize(value: string | null | undefined): string {
  if (!value) return "-"
  const text = value.replace(/_/g, " ")
  return text.charAt(0).toUpperCase() + text.slice(1)
}
