import { createHash } from "crypto"

/** Personal identifiers (emails, IPs, device ids) are stored only as salted SHA-256 digests (salt: option hashSalt). */
export function hashIdentifier(value: string, salt: string): string {
  return createHash("sha256").update(`${salt}:${value.trim().toLowerCase()}`).digest("hex")
}

export function digest(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 24)
}
