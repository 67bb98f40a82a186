import type { SignalValues } from "../rules/evaluate"
import type { RiskFact } from "../scoring/facts"

/** Facts from the signals themselves, in words, for reviewers. */
export function signalFacts(v: SignalValues): RiskFact[] {
  const facts: RiskFact[] = []
  const n = (field: string) => (typeof v[field] === "number" ? (v[field] as number) : 0)
  if (v.billing_country_mismatch === true)
    facts.push({ code: "billing_country_mismatch", sentiment: "negative", message: `Billing country (${v["billing_address.country_code"]}) differs from shipping country (${v["shipping_address.country_code"]})` })
  else if (v.billing_country_mismatch === false) facts.push({ code: "billing_country_match", sentiment: "positive", message: "Billing and shipping countries match" })
  if (v.linked_account_redeemed_first_order === true)
    facts.push({ code: "linked_account_redeemed_first_order", sentiment: "negative", message: "An account sharing this device, address or email already redeemed this first-order discount" })
  if (n("accounts_per_device") > 1) facts.push({ code: "shared_device", sentiment: "negative", message: `This device is used by ${n("accounts_per_device")} accounts` })
  if (n("accounts_per_address") > 1) facts.push({ code: "shared_address", sentiment: "negative", message: `This shipping address is used by ${n("accounts_per_address")} accounts` })
  if (n("accounts_per_normalized_email") > 1) facts.push({ code: "similar_email", sentiment: "negative", message: `${n("accounts_per_normalized_email")} accounts use variants of this email address` })
  const orders24 = n("customer.orders_last_24h")
  if (orders24 >= 2) facts.push({ code: "velocity", sentiment: "negative", message: `The customer placed ${orders24} orders in the last 24 hours` })
  const failed = Math.max(n("customer.failed_payments_last_24h"), n("ip.failed_payments_last_24h"), n("device.failed_payments_last_24h"))
  if (failed > 0) facts.push({ code: "failed_payments", sentiment: "negative", message: `${failed} checkouts failed for this customer, IP or device in the last 24 hours` })
  if (n("customer.order_count") > 0) facts.push({ code: "returning_customer", sentiment: "positive", message: `Returning customer with ${n("customer.order_count")} earlier orders` })
  else facts.push({ code: "first_order", sentiment: "neutral", message: "First order of this customer" })
  const ratio = n("order.value_vs_customer_average")
  if (ratio >= 3) facts.push({ code: "unusual_value", sentiment: "negative", message: `Order value is ${ratio} times the customer's average` })
  if (v.has_device_id === false) facts.push({ code: "no_device_id", sentiment: "neutral", message: "The storefront sent no device id" })
  return facts
}
