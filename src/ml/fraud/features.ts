import type { Matrix } from "../data/matrix"
import { makeMatrix } from "../data/matrix"

/** One order as the fraud model sees it (the columns of the public Fraud_Data set). */
export interface FraudRow {
  signupTime: string | Date
  purchaseTime: string | Date
  purchaseValue: number
  deviceId: string
  /** Acquisition channel: "SEO" | "Ads" | "Direct". */
  source: string
  browser: string
  sex: string
  age: number
  /** The public set stores IPv4 addresses as numbers. */
  ipAddress: number
}

const SOURCES = ["SEO", "Ads", "Direct"]
const BROWSERS = ["Chrome", "IE", "Safari", "FireFox", "Opera"]

export const FRAUD_FEATURES = [
  "seconds_to_purchase",
  "purchase_value",
  "age",
  "ip_address",
  "accounts_on_device",
  "accounts_on_ip",
  "instant_buys_on_device",
  "device_signup_span_hours",
  "same_value_on_device",
  "accounts_in_ip_block",
  "purchase_hour",
  "purchase_weekday",
  "signup_hour",
  "signup_weekday",
  "signup_day_of_year",
  "sex_male",
  ...SOURCES.map((s) => `source_${s.toLowerCase()}`),
  ...BROWSERS.map((b) => `browser_${b.toLowerCase()}`),
]

/** Rows seen so far per device / IP: counts come from order rows, never from fraud labels. */
export interface FraudHistory {
  byDevice: Map<string, number[]>
  byIp: Map<number, number>
  byIpBlock: Map<number, number>
  rows: FraudRow[]
}

export function toMillis(t: string | Date): number {
  if (t instanceof Date) return t.getTime()
  // "2015-02-24 22:55:00" (no zone) is read as UTC so features do not depend on the host's zone.
  const iso = t.includes("T") ? t : t.replace(" ", "T")
  return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : iso + "Z")
}

/** IPv4 /16 block of a numeric address, to catch rings spread over neighbouring addresses. */
function ipBlock(ip: number): number {
  return Math.floor(ip / 65536)
}

export function buildFraudHistory(rows: FraudRow[]): FraudHistory {
  const byDevice = new Map<string, number[]>()
  const byIp = new Map<number, number>()
  const byIpBlock = new Map<number, number>()
  rows.forEach((r, i) => {
    if (!byDevice.has(r.deviceId)) byDevice.set(r.deviceId, [])
    byDevice.get(r.deviceId)!.push(i)
    byIp.set(r.ipAddress, (byIp.get(r.ipAddress) ?? 0) + 1)
    const b = ipBlock(r.ipAddress)
    byIpBlock.set(b, (byIpBlock.get(b) ?? 0) + 1)
  })
  return { byDevice, byIp, byIpBlock, rows }
}

const INSTANT_SECONDS = 60

function secondsToPurchase(r: FraudRow): number {
  return (toMillis(r.purchaseTime) - toMillis(r.signupTime)) / 1000
}

/** Device-level features. `self` is the row's index in history.rows, or -1 if the row is not in it. */
function deviceFeatures(r: FraudRow, history: FraudHistory, self: number): number[] {
  const others = (history.byDevice.get(r.deviceId) ?? []).filter((j) => j !== self).map((j) => history.rows[j])
  const instant = others.filter((o) => secondsToPurchase(o) <= INSTANT_SECONDS).length
  const signups = [toMillis(r.signupTime), ...others.map((o) => toMillis(o.signupTime))]
  const span = (Math.max(...signups) - Math.min(...signups)) / 3.6e6
  const sameValue = others.filter((o) => o.purchaseValue === r.purchaseValue).length
  return [others.length + 1, instant, span, sameValue]
}

export function fraudFeatureRow(r: FraudRow, history: FraudHistory, self = -1): number[] {
  const signup = new Date(toMillis(r.signupTime))
  const purchase = new Date(toMillis(r.purchaseTime))
  const [onDevice, instant, span, sameValue] = deviceFeatures(r, history, self)
  const inHistory = self >= 0 ? 0 : 1
  const dayOfYear = Math.floor((signup.getTime() - Date.UTC(signup.getUTCFullYear(), 0, 1)) / 864e5)
  return [
    secondsToPurchase(r),
    r.purchaseValue,
    r.age,
    r.ipAddress,
    onDevice,
    (history.byIp.get(r.ipAddress) ?? 0) + inHistory,
    instant,
    span,
    sameValue,
    (history.byIpBlock.get(ipBlock(r.ipAddress)) ?? 0) + inHistory,
    purchase.getUTCHours(),
    purchase.getUTCDay(),
    signup.getUTCHours(),
    signup.getUTCDay(),
    dayOfYear,
    r.sex === "M" ? 1 : 0,
    ...SOURCES.map((s) => (r.source === s ? 1 : 0)),
    ...BROWSERS.map((b) => (r.browser === b ? 1 : 0)),
  ]
}

/** Feature matrix for a table of orders; counts per device/IP are taken over the whole table. */
export function buildFraudFeatures(rows: FraudRow[], history = buildFraudHistory(rows)): Matrix {
  const m = makeMatrix(rows.length, FRAUD_FEATURES)
  const inTable = history.rows === rows
  rows.forEach((r, i) => m.data.set(fraudFeatureRow(r, history, inTable ? i : -1), i * m.nCols))
  return m
}

/** Reads the public CSV's columns into FraudRow objects. */
export function fraudRowsFromTable(header: string[], rows: string[][]): { rows: FraudRow[]; labels: Float64Array } {
  const col = (name: string) => {
    const i = header.indexOf(name)
    if (i < 0) throw new Error(`fraud CSV lacks column ${name}`)
    return i
  }
  const c = {
    signup: col("signup_time"),
    purchase: col("purchase_time"),
    value: col("purchase_value"),
    device: col("device_id"),
    source: col("source"),
    browser: col("browser"),
    sex: col("sex"),
    age: col("age"),
    ip: col("ip_address"),
    label: col("class"),
  }
  const labels = new Float64Array(rows.length)
  const out = rows.map((r, i) => {
    labels[i] = Number(r[c.label])
    return {
      signupTime: r[c.signup],
      purchaseTime: r[c.purchase],
      purchaseValue: Number(r[c.value]),
      deviceId: r[c.device],
      source: r[c.source],
      browser: r[c.browser],
      sex: r[c.sex],
      age: Number(r[c.age]),
      ipAddress: Number(r[c.ip]),
    }
  })
  return { rows: out, labels }
}
