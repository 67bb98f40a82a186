import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"

const ID_PATTERN = /^[A-Za-z0-9_|:.-]{1,128}$/

/** Route ids are plain tokens; anything else (control characters, huge strings) is a 400, not a database error. */
export function validateIdParam(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  for (const [name, value] of Object.entries(req.params ?? {})) {
    if (typeof value === "string" && !ID_PATTERN.test(value)) {
      return next(new MedusaError(MedusaError.Types.INVALID_DATA, `Invalid request: ${name} must be 1-128 letters, digits or _ | : . -`))
    }
  }
  next()
}
