/** Pure helpers that turn checkout identities into stable keys (hashed by the caller). */

const GMAIL_LIKE = new Set(["gmail.com", "googlemail.com"])
const PLUS_TAG_DOMAINS = new Set([...GMAIL_LIKE, "outlook.com", "hotmail.com", "live.com", "icloud.com", "me.com", "fastmail.com", "protonmail.com", "proton.me", "yahoo.com"])

/** Lower case; +tags removed for providers that support them; dots removed and googlemail folded for Gmail. */
export function normalizeEmail(email: string): string {
  const lower = email.trim().toLowerCase()
  const at = lower.lastIndexOf("@")
  if (at <= 0) return lower
  let local = lower.slice(0, at)
  let domain = lower.slice(at + 1)
  if (PLUS_TAG_DOMAINS.has(domain)) local = local.split("+")[0]
  if (GMAIL_LIKE.has(domain)) {
    local = local.replace(/\./g, "")
    domain = "gmail.com"
  }
  return `${local}@${domain}`
}

export function emailDomain(email: string | null | undefined): string | null {
  if (!email) return null
  const at = email.lastIndexOf("@")
  return at < 0 ? null : email.slice(at + 1).trim().toLowerCase()
}

export interface AddressLike {
  address_1?: string | null
  address_2?: string | null
  city?: string | null
  postal_code?: string | null
  country_code?: string | null
}

/** Street, postcode and country, case and punctuation folded; null when there is no street. */
export function addressKey(address: AddressLike | null | undefined): string | null {
  if (!address?.address_1) return null
  const fold = (s: string | null | undefined) => (s ?? "").toLowerCase().replace(/[^a-z0-9]+/g, " ").trim()
  return [fold(address.address_1), fold(address.address_2), fold(address.postal_code), fold(address.country_code)].join("|")
}

/** The request IP as Express sees it, IPv4-mapped IPv6 folded to plain IPv4. */
export function normalizeIp(ip: string | null | undefined): string | null {
  if (!ip) return null
  const trimmed = ip.trim()
  return trimmed.startsWith("::ffff:") ? trimmed.slice(7) : trimmed || null
}

/** Device ids are opaque client tokens: bounded and printable, else ignored. */
export function cleanDeviceId(value: unknown): string | null {
  if (typeof value !== "string") return null
  const v = value.trim()
  return v.length >= 1 && v.length <= 200 && /^[\x21-\x7e]+$/.test(v) ? v : null
}
