import type { Matrix } from "../data/matrix"
import { makeMatrix } from "../data/matrix"

/** One order as the public Fraud_Data set records it (sign-up and purchase of one account). */
export interface FraudRow {
  /** The account (Fraud_Data's user_id); linked-account counts count distinct accounts. */
  accountId?: string
  signupTime: string | Date
  purchaseTime: string | Date
  purchaseValue: number
  deviceId: string
  /**
   * The account's acquisition channel at sign-up: "SEO" | "Ads" | "Direct". A store knows it from the
   * registration request (the storefront sends what the landing page's referrer and UTM said).
   */
  source: string
  browser: string
  sex: string
  age: number
  /** The public set stores IPv4 addresses as numbers. */
  ipAddress: number
}

/**
 * The fraud model's columns: only what a store knows at the instant of a checkout, from its own rows before
 * it. Training rows (scripts/train-fraud-model.ts, `npm run eval`) and live checkouts
 * (src/workflows/fraud/assess-checkout.ts) both go through fraudFeatureVector.
 */
export const FRAUD_FEATURES = [
  "seconds_to_purchase",
  "purchase_value",
  "accounts_on_device",
  "accounts_on_ip",
  "same_value_on_device",
  "signups_on_device",
  "purchase_hour",
  "purchase_weekday",
  "signup_hour",
  "signup_weekday",
  "signup_source_direct",
] as const

export type FraudFeature = (typeof FRAUD_FEATURES)[number]

/**
 * How far back the model's device and IP counts look: part of the feature's definition (the model learnt
 * it), so it does not follow the merchant's `linkedAccountsWindowDays`, which only shapes the rule fields.
 */
export const FRAUD_LINK_WINDOW_DAYS = 365

/**
 * Every count over one identity's checkouts (a device's, an IP's, ...) reads that identity's latest
 * IDENTITY_HISTORY_CAP checkouts before the instant (and registrations, for sign-ups on a device): a shared IP or
 * a flood of checkouts then costs each checkout a bounded read instead of one growing with the identity's
 * history. Part of the features' definition, in training as at checkout; counts stay exact up to the cap
 * (the shipped model's splits on them sit at 2 or below; rule conditions on them are refused above it).
 */
export const IDENTITY_HISTORY_CAP = 500

/** What a store knows about one purchase at its instant; counts come only from rows before it. */
export interface FraudFacts {
  /** Account sign-up, unix ms. */
  signupAt: number
  /** The purchase (checkout) instant, unix ms. */
  purchaseAt: number
  /** Order total in the currency's main unit. */
  purchaseValue: number
  /** Distinct accounts seen on the device before this purchase, this one included (1: none, or no device id). */
  accountsOnDevice: number
  /** Same for the IP address. */
  accountsOnIp: number
  /** Earlier checkouts on the device with exactly this amount. */
  sameValueOnDevice: number
  /**
   * Other accounts that signed up on the device before this purchase, within FRAUD_LINK_WINDOW_DAYS, whether
   * or not they have bought yet. An account that checked out on the device before counts too (it signed up
   * before; in a store it may have registered before registrations were recorded).
   */
  signupsOnDevice: number
  /** The account's acquisition channel at sign-up (see SIGNUP_SOURCES); null when the store does not know it. */
  signupSource: SignupSource | null
}

/**
 * Acquisition channels of a sign-up: from a search engine, from an ad or campaign, or direct (no referrer,
 * no campaign). Only "direct" moves the model (in the public set 5.4% of orders from direct sign-ups that are
 * not bought at sign-up or on a shared device are fraud, 4.2% of the others); an unknown channel scores as
 * not direct.
 */
export const SIGNUP_SOURCES = ["seo", "ads", "direct"] as const

export type SignupSource = (typeof SIGNUP_SOURCES)[number]

/** A channel as the public set ("SEO", "Ads", "Direct") or a storefront spells it; null when it is none of them. */
export function signupSourceOf(value: unknown): SignupSource | null {
  if (typeof value !== "string") return null
  const lower = value.trim().toLowerCase()
  return (SIGNUP_SOURCES as readonly string[]).includes(lower) ? (lower as SignupSource) : null
}

/** The one mapping of facts to the model's columns (hours and weekdays in UTC). */
export function fraudFeatureVector(f: FraudFacts): number[] {
  const signup = new Date(f.signupAt)
  const purchase = new Date(f.purchaseAt)
  return [
    Math.max(0, (f.purchaseAt - f.signupAt) / 1000),
    f.purchaseValue,
    Math.max(1, f.accountsOnDevice),
    Math.max(1, f.accountsOnIp),
    f.sameValueOnDevice,
    f.signupsOnDevice,
    purchase.getUTCHours(),
    purchase.getUTCDay(),
    signup.getUTCHours(),
    signup.getUTCDay(),
    f.signupSource === "direct" ? 1 : 0,
  ]
}

export function toMillis(t: string | Date): number {
  if (t instanceof Date) return t.getTime()
  // "2015-02-24 22:55:00" (no zone) is read as UTC so features do not depend on the host's zone.
  const iso = t.includes("T") ? t : t.replace(" ", "T")
  return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : iso + "Z")
}

interface Seen {
  at: number
  account: string
  value: number
}

/** Distinct accounts other than `account` among `seen` since `from`. */
function otherAccounts(seen: Seen[], account: string, from: number): number {
  const accounts = new Set<string>()
  for (const s of seen) if (s.at > from && s.account !== account) accounts.add(s.account)
  return accounts.size
}

function push<K>(index: Map<K, Seen[]>, key: K, seen: Seen): void {
  const list = index.get(key)
  if (list) list.push(seen)
  else index.set(key, [seen])
}

/**
 * Point-in-time facts for every row, as a store would have computed them at each checkout: device and IP
 * counts come from rows whose purchase is strictly earlier (and within FRAUD_LINK_WINDOW_DAYS), never from
 * later rows or from labels. Sign-ups on the device come from the accounts' sign-up times (an account signs
 * up on the device it buys from), strictly before the purchase: an account that registered earlier but buys
 * later is known to a store that records registrations, as the fraud module does.
 */
export function pointInTimeFacts(rows: FraudRow[]): FraudFacts[] {
  const signups = signupsByDevice(rows)
  const at = rows.map((r) => toMillis(r.purchaseTime))
  const order = rows.map((_, i) => i).sort((a, b) => at[a] - at[b] || a - b)
  const byDevice = new Map<string, Seen[]>()
  const byIp = new Map<number, Seen[]>()
  const out: FraudFacts[] = new Array(rows.length)
  const windowMs = FRAUD_LINK_WINDOW_DAYS * 864e5
  for (let start = 0; start < order.length; ) {
    let end = start
    while (end < order.length && at[order[end]] === at[order[start]]) end++
    const group = order.slice(start, end)
    // Rows of the same instant do not see each other: only what was there before.
    for (const i of group)
      out[i] = {
        ...factsBefore(rows[i], i, at[i], byDevice, byIp, windowMs),
        signupsOnDevice: signupsBefore(signups, byDevice, rows[i], i, at[i], windowMs),
        signupSource: signupSourceOf(rows[i].source),
      }
    for (const i of group) {
      const seen = { at: at[i], account: accountOf(rows[i], i), value: rows[i].purchaseValue }
      push(byDevice, rows[i].deviceId, seen)
      push(byIp, rows[i].ipAddress, seen)
    }
    start = end
  }
  return out
}

/** Each account's registration, at its sign-up time, on the device of its first purchase. */
function signupsByDevice(rows: FraudRow[]): Map<string, Seen[]> {
  const byDevice = new Map<string, Seen[]>()
  const registered = new Set<string>()
  const at = rows.map((r) => toMillis(r.purchaseTime))
  const order = rows.map((_, i) => i).sort((a, b) => at[a] - at[b] || a - b)
  for (const i of order) {
    const account = accountOf(rows[i], i)
    if (registered.has(account)) continue
    registered.add(account)
    push(byDevice, rows[i].deviceId, { at: toMillis(rows[i].signupTime), account, value: 0 })
  }
  // In registration order, as latestWithin reads them.
  for (const list of byDevice.values()) list.sort((a, b) => a.at - b.at)
  return byDevice
}

/** Other accounts registered, or seen buying (`bought`: purchases before this one), on the row's device within the window. */
function signupsBefore(signups: Map<string, Seen[]>, bought: Map<string, Seen[]>, row: FraudRow, index: number, purchaseAt: number, windowMs: number): number {
  const account = accountOf(row, index)
  const from = purchaseAt - windowMs
  const accounts = new Set<string>()
  for (const s of latestWithin(signups.get(row.deviceId) ?? [], from, purchaseAt)) if (s.account !== account) accounts.add(s.account)
  for (const s of latestWithin(bought.get(row.deviceId) ?? [], from, purchaseAt)) if (s.account !== account) accounts.add(s.account)
  return accounts.size
}

/** An identity's latest IDENTITY_HISTORY_CAP entries strictly between `from` and `to` (entries in time order). */
function latestWithin(seen: Seen[], from: number, to: number): Seen[] {
  const within = seen.filter((s) => s.at > from && s.at < to)
  return within.length > IDENTITY_HISTORY_CAP ? within.slice(-IDENTITY_HISTORY_CAP) : within
}

function accountOf(row: FraudRow, index: number): string {
  return row.accountId ?? `row:${index}`
}

function factsBefore(row: FraudRow, index: number, purchaseAt: number, byDevice: Map<string, Seen[]>, byIp: Map<number, Seen[]>, windowMs: number): Omit<FraudFacts, "signupsOnDevice" | "signupSource"> {
  const from = purchaseAt - windowMs
  const account = accountOf(row, index)
  const device = latestWithin(byDevice.get(row.deviceId) ?? [], from, purchaseAt)
  return {
    signupAt: toMillis(row.signupTime),
    purchaseAt,
    purchaseValue: row.purchaseValue,
    accountsOnDevice: otherAccounts(device, account, from) + 1,
    accountsOnIp: otherAccounts(latestWithin(byIp.get(row.ipAddress) ?? [], from, purchaseAt), account, from) + 1,
    sameValueOnDevice: device.filter((s) => s.value === row.purchaseValue).length,
  }
}

export function fraudFeatureMatrix(facts: FraudFacts[]): Matrix {
  const m = makeMatrix(facts.length, [...FRAUD_FEATURES])
  facts.forEach((f, i) => m.data.set(fraudFeatureVector(f), i * m.nCols))
  return m
}

/** Training matrix of a table of orders: point-in-time facts, then the model's columns. */
export function buildFraudFeatures(rows: FraudRow[]): Matrix {
  return fraudFeatureMatrix(pointInTimeFacts(rows))
}

/** Reads the public CSV's columns into FraudRow objects. */
export function fraudRowsFromTable(header: string[], rows: string[][]): { rows: FraudRow[]; labels: Float64Array } {
  const col = (name: string) => {
    const i = header.indexOf(name)
    if (i < 0) throw new Error(`fraud CSV lacks column ${name}`)
    return i
  }
  const c = {
    user: header.indexOf("user_id"),
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
      ...(c.user >= 0 ? { accountId: r[c.user] } : {}),
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
