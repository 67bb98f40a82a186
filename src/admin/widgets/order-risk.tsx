import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { DetailWidgetProps, HttpTypes } from "@medusajs/framework/types"
import { Container, Heading, Text } from "@medusajs/ui"
import { Link } from "react-router-dom"
import { DecisionBadge, FactList, HoldStatusBadge, ScoreBadge } from "../components/badges"
import { HoldActions } from "../components/hold-actions"
import { ErrorState, KeyValue, LoadingState } from "../components/states"
import { isUnavailable } from "../lib/client"
import { dateTime, humanize, money } from "../lib/format"
import { useOrderAssessment, useOrderHolds, useOrderOffer } from "../lib/orders"
import type { FraudHold } from "../lib/types"

function HoldSummary({ hold }: { hold: FraudHold }) {
  const lastEvent = hold.audit?.[hold.audit.length - 1]
  return (
    <>
      <KeyValue label="Hold">
        <span data-testid="hold-summary">
          {hold.status === "open"
            ? "Payment capture and fulfillment wait for your review"
            : `${humanize(hold.status)}${hold.resolved_at ? ` on ${dateTime(hold.resolved_at)}` : ""}`}
        </span>
      </KeyValue>
      <KeyValue label="Held because">{hold.reason}</KeyValue>
      {hold.status !== "open" && (hold.note || lastEvent?.note) && <KeyValue label="Note">{hold.note ?? lastEvent?.note}</KeyValue>}
      {hold.status === "open" && (
        <div className="px-6 py-4">
          <HoldActions hold={hold} />
        </div>
      )}
    </>
  )
}

/** The personal offer this order redeemed: what a reviewer and the merchant want to know beside the risk. */
function RedeemedOffer({ orderId, currency }: { orderId: string; currency: string }) {
  const query = useOrderOffer(orderId)
  if (!query.data) return null
  const { offer, policyName } = query.data
  return (
    <KeyValue label="Personal offer">
      <span data-testid="order-personal-offer">
        Redeemed {offer.promotion_code ? `${offer.promotion_code}, ` : ""}
        {offer.discount_percent}% off{offer.redeemed_amount !== null ? ` (${money(offer.redeemed_amount, offer.currency_code ?? currency)})` : ""} from{" "}
        <Link to={`/uplift/policies/${offer.policy_id}`} className="text-ui-fg-interactive">
          {policyName ?? offer.policy_id}
        </Link>
      </span>
    </KeyValue>
  )
}

/**
 * Order page: the fraud hold first (with release / reject), then the checkout's risk score and facts, and
 * the personal offer the order redeemed.
 */
const OrderRiskWidget = ({ data: order }: DetailWidgetProps<HttpTypes.AdminOrder>) => {
  const holds = useOrderHolds(order.id)
  const assessment = useOrderAssessment(order.id)
  if (isUnavailable(holds.error) || isUnavailable(assessment.error)) return null
  const hold = holds.data?.[0]
  return (
    <Container className="divide-y p-0" data-testid="order-risk-widget">
      <div className="flex items-center justify-between px-6 py-4">
        <Heading level="h2">Fraud risk</Heading>
        {hold && <HoldStatusBadge status={hold.status} />}
      </div>
      {holds.isLoading || assessment.isLoading ? (
        <LoadingState />
      ) : holds.error || assessment.error ? (
        <ErrorState
          error={holds.error ?? assessment.error}
          what="Fraud risk"
          onRetry={() => {
            void holds.refetch()
            void assessment.refetch()
          }}
        />
      ) : (
        <>
          {hold && <HoldSummary hold={hold} />}
          {assessment.data ? (
            <>
              <KeyValue label="Risk score">
                <ScoreBadge score={assessment.data.score} />
              </KeyValue>
              <KeyValue label="Decision">
                <DecisionBadge decision={assessment.data.decision} />
              </KeyValue>
              <KeyValue label="Why">{assessment.data.reason}</KeyValue>
              <div className="px-6 py-4">
                <FactList facts={assessment.data.facts} />
              </div>
            </>
          ) : (
            !hold && (
              <div className="px-6 py-4">
                <Text size="small" className="text-ui-fg-muted">
                  This order was not screened (placed before fraud screening, or by a channel that skips it).
                </Text>
              </div>
            )
          )}
          <RedeemedOffer orderId={order.id} currency={order.currency_code} />
        </>
      )}
    </Container>
  )
}

// The id keys the admin's layout preferences (a string literal: the admin bundler reads it from the source);
// the demo seed's store-wide default puts this widget first on the order page.
export const config = defineWidgetConfig({ zone: "order.details", id: "medusa-uplift:order-risk" })

export default OrderRiskWidget
