import { MedusaError } from "@medusajs/framework/utils"
import { errorHandler } from "@medusajs/framework/http"
import { fraudHoldAwareErrorHandler } from "../hold-error"
import { FRAUD_HOLD_OPEN } from "../../../../workflows/fraud/hold-guard"

function answer(error: unknown) {
  const sent: { status?: number; body?: any } = {}
  const res: any = {
    headersSent: false,
    status(code: number) {
      sent.status = code
      return res
    },
    json(body: unknown) {
      sent.body = body
      return res
    },
  }
  const req: any = { scope: { resolve: () => ({ info: () => undefined, error: () => undefined, warn: () => undefined }) }, path: "/admin/x", method: "POST" }
  fraudHoldAwareErrorHandler(errorHandler())(error as any, req, res, () => undefined)
  return sent
}

describe("fraudHoldAwareErrorHandler", () => {
  it("keeps the message of a hold refused inside a workflow hook, with a 409", () => {
    const message = "Order #7 is on fraud hold (rule \"x\" (hold)); release the hold before fulfilling it."
    expect(answer(new MedusaError(MedusaError.Types.CONFLICT, message, FRAUD_HOLD_OPEN))).toEqual({ status: 409, body: { type: "conflict", code: FRAUD_HOLD_OPEN, message } })
  })

  it("leaves other conflicts to Medusa's handler", () => {
    const sent = answer(new MedusaError(MedusaError.Types.CONFLICT, "something else"))
    expect(sent.status).toBe(409)
    expect(sent.body.message).not.toBe("something else")
  })
})
