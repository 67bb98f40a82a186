import { randomInt } from "crypto"

/** A uniform draw in [0, 1) from the OS generator: exploration must not be predictable by shoppers. */
export function randomUnit(): number {
  return randomInt(0, 2 ** 32) / 2 ** 32
}
