import { Text } from "@medusajs/ui"
import { Link } from "react-router-dom"
import { customerName, useOrderAssessment, useOrderSummary } from "../lib/orders"
import { dateTime, humanize, money } from "../lib/format"
import type { FraudHold } from "../lib/types"
import { DecisionBadge, FactList, HoldStatusBadge, ScoreBadge } from "./badges"
import { HoldActions } from "./hold-actions"
import { ErrorState, KeyValue, LoadingState } from "./states"

/** Everything a reviewer needs on one held order: order and customer, score and facts, audit trail, actions. */
export function HoldDetails({ hold, onResolved }: { hold: FraudHold; onResolved?: (hold: FraudHold) => void }) {
  const order = useOrderSummary(hold.order_id)
  const assessment = useOrderAssessment(hold.order_id)
  return (
    <div className="flex flex-col gap-y-6" data-testid="hold-details">
      <section className="flex flex-col divide-y rounded-lg border border-ui-border-base">
        <div className="flex items-center justify-between px-6 py-3">
          <Text size="small" weight="plus">
            Order
          </Text>
          <HoldStatusBadge status={hold.status} />
        </div>
        {order.isLoading ? (
          <LoadingState />
        ) : order.error || !order.data ? (
          <ErrorState error={order.error} what="Order" />
        ) : (
          <>
            <KeyValue label="Order">
              <Link to={`/orders/${order.data.id}`} className="text-ui-fg-interactive" data-testid="open-order">
                #{order.data.display_id}
              </Link>
            </KeyValue>
            <KeyValue label="Placed">{dateTime(order.data.created_at)}</KeyValue>
            <KeyValue label="Total">{money(order.data.total, order.data.currency_code)}</KeyValue>
            <KeyValue label="Items">{order.data.items?.map((item) => `${item.quantity} x ${item.title}`).join(", ") || "-"}</KeyValue>
            <KeyValue label="Customer">
              {order.data.customer ? <Link to={`/customers/${order.data.customer.id}`} className="text-ui-fg-interactive">{customerName(order.data)}</Link> : customerName(order.data)}
              {order.data.customer && !order.data.customer.has_account && <span className="text-ui-fg-muted"> (guest)</span>}
            </KeyValue>
            <KeyValue label="Email">{order.data.email ?? "-"}</KeyValue>
            <KeyValue label="Ships to">{[order.data.shipping_address?.city, order.data.shipping_address?.country_code?.toUpperCase()].filter(Boolean).join(", ") || "-"}</KeyValue>
          </>
        )}
      </section>
      <section className="flex flex-col divide-y rounded-lg border border-ui-border-base">
        <div className="px-6 py-3">
          <Text size="small" weight="plus">
            Risk assessment
          </Text>
        </div>
        {assessment.isLoading ? (
          <LoadingState />
        ) : assessment.error ? (
          <ErrorState error={assessment.error} what="Risk assessment" />
        ) : !assessment.data ? (
          <KeyValue label="Assessment">None recorded for this order</KeyValue>
        ) : (
          <>
            <KeyValue label="Score">
              <ScoreBadge score={assessment.data.score} />
            </KeyValue>
            <KeyValue label="Decision">
              <DecisionBadge decision={assessment.data.decision} />
            </KeyValue>
            <KeyValue label="Reason">{hold.reason || assessment.data.reason}</KeyValue>
            <KeyValue label="Model">{assessment.data.model_version ? `${assessment.data.model_version} (${assessment.data.model_engine ?? "-"})` : assessment.data.model_error ?? "-"}</KeyValue>
            <div className="px-6 py-3">
              <FactList facts={assessment.data.facts} />
            </div>
          </>
        )}
      </section>
      {hold.audit && hold.audit.length > 0 && (
        <section className="flex flex-col divide-y rounded-lg border border-ui-border-base">
          <div className="px-6 py-3">
            <Text size="small" weight="plus">
              Audit trail
            </Text>
          </div>
          {hold.audit.map((event) => (
            <KeyValue key={event.id} label={`${humanize(event.action)} · ${dateTime(event.created_at)}`}>
              {event.note || <span className="text-ui-fg-muted">no note</span>}
              {event.actor_id && <span className="text-ui-fg-muted"> by {event.actor_id}</span>}
            </KeyValue>
          ))}
        </section>
      )}
      <HoldActions hold={hold} onDone={onResolved} />
    </div>
  )
}
