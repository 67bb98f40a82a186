import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { DetailWidgetProps, HttpTypes } from "@medusajs/framework/types"
import { Container, Heading, Text } from "@medusajs/ui"
import { DecisionBadge, FactList, HoldStatusBadge, ScoreBadge } from "../components/badges"
import { HoldActions } from "../components/hold-actions"
import { ErrorState, KeyValue, LoadingState } from "../components/states"
import { isUnavailable } from "../lib/client"
import { dateTime, humanize } from "../lib/format"
import { useOrderAssessment, useOrderHolds } from "../lib/orders"

/** Order page: the checkout's risk score and facts, and its fraud hold with release / reject. */
const OrderRiskWidget = ({ data: order }: DetailWidgetProps<HttpTypes.AdminOrder>) => {
  const holds = useOrderHolds(order.id)
  const assessment = useOrderAssessment(order.id)
  if (isUnavailable(holds.error) || isUnavailable(assessment.error)) return null
  const hold = holds.data?.[0]
  const lastEvent = hold?.audit?.[hold.audit.length - 1]
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
      ) : !assessment.data && !hold ? (
        <div className="px-6 py-4">
          <Text size="small" className="text-ui-fg-muted">
            This order was not screened (placed before fraud screening, or by a channel that skips it).
          </Text>
        </div>
      ) : (
        <>
          {assessment.data && (
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
          )}
          {hold && (
            <>
              <KeyValue label="Hold">
                {hold.status === "open"
                  ? "Capture and fulfillment wait for your review"
                  : `${humanize(hold.status)}${hold.resolved_at ? ` on ${dateTime(hold.resolved_at)}` : ""}`}
              </KeyValue>
              {hold.status !== "open" && (hold.note || lastEvent?.note) && <KeyValue label="Note">{hold.note ?? lastEvent?.note}</KeyValue>}
              {hold.status === "open" && (
                <div className="px-6 py-4">
                  <HoldActions hold={hold} />
                </div>
              )}
            </>
          )}
        </>
      )}
    </Container>
  )
}

export const config = defineWidgetConfig({ zone: "order.details" })

export default OrderRiskWidget
