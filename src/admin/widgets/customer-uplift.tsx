import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { DetailWidgetProps, HttpTypes } from "@medusajs/framework/types"
import { Badge, Container, Heading, Table, Text } from "@medusajs/ui"
import { useQuery } from "@tanstack/react-query"
import { Link } from "react-router-dom"
import { ErrorState, KeyValue, LoadingState } from "../components/states"
import { apiGet, isUnavailable } from "../lib/client"
import { date, dateTime, humanize, money, num, rate } from "../lib/format"
import type { CustomerUplift, OfferDecision, PersonalOffer } from "../lib/types"

const GROUP_COLORS: Record<OfferDecision["group"], "grey" | "blue" | "purple" | "green" | "orange"> = {
  holdout: "grey",
  explore: "purple",
  model: "blue",
  fixed: "green",
  ineligible: "orange",
}

function reasonText(reasons: unknown): string {
  if (Array.isArray(reasons)) return reasons.map(String).join("; ")
  if (typeof reasons === "string") return reasons
  return ""
}

function CurrentOffer({ offer, policyName }: { offer: PersonalOffer | undefined; policyName?: string }) {
  if (!offer) {
    return (
      <KeyValue label="Current offer">
        <span className="text-ui-fg-muted">None active</span>
      </KeyValue>
    )
  }
  return (
    <>
      <KeyValue label="Current offer">
        <span className="txt-compact-small-plus" data-testid="current-offer">
          {offer.discount_percent}% off
        </span>{" "}
        <span className="text-ui-fg-subtle">until {dateTime(offer.expires_at)}</span>
      </KeyValue>
      <KeyValue label="Policy">
        <Link to={`/uplift/policies/${offer.policy_id}`} className="text-ui-fg-interactive">
          {policyName ?? offer.policy_id}
        </Link>
      </KeyValue>
      <KeyValue label="Why">{offer.reason ?? "-"}</KeyValue>
    </>
  )
}

const HISTORY_ORIGIN: Record<"seed" | "event", string> = {
  seed: "Imported purchase history",
  event: "Orders in this store",
}

/**
 * What the plugin learns from, by origin. Imported history (the demo seed, or a merchant's import) is not
 * made of Medusa orders, so Medusa's own Orders card does not list it: say so beside the figures.
 */
function PurchaseHistory({ history }: { history: CustomerUplift["propensity"]["history"] }) {
  const groups = (history ?? []).filter((group) => group.order_count > 0)
  if (!groups.length) return <KeyValue label="Purchase history">No orders yet</KeyValue>
  return (
    <>
      {groups.map((group) => (
        <KeyValue key={`${group.source}-${group.currency_code}`} label={HISTORY_ORIGIN[group.source]}>
          <span data-testid={`history-${group.source}`}>
            {num(group.order_count, 0)} orders, {money(group.total_spent, group.currency_code)} spent
            {group.last_order_at ? `, last on ${date(group.last_order_at)}` : ""}
          </span>
          {group.source === "seed" && (
            <Text size="xsmall" className="text-ui-fg-muted">
              Imported into the plugin's purchase history to train its models; these are not Medusa orders, so the Orders card does not list them.
            </Text>
          )}
        </KeyValue>
      ))}
    </>
  )
}

/** Customer page: their personal offer and its reason, recent decisions, propensity highlights. */
const CustomerUpliftWidget = ({ data: customer }: DetailWidgetProps<HttpTypes.AdminCustomer>) => {
  const query = useQuery({
    queryKey: ["uplift", "customer", customer.id],
    queryFn: () => apiGet<CustomerUplift>(`/admin/customers/${customer.id}/uplift`),
  })
  if (isUnavailable(query.error)) return null
  const data = query.data
  const active = data?.offers.find((offer) => offer.status === "active")
  const next = data?.propensity.next_purchases ?? []
  return (
    <Container className="divide-y p-0" data-testid="customer-uplift-widget">
      <div className="flex items-center justify-between px-6 py-4">
        <Heading level="h2">Personal offers</Heading>
        {data && data.offers.length > 0 && (
          <Text size="xsmall" className="text-ui-fg-muted">
            {data.offers.filter((offer) => offer.status === "redeemed").length} redeemed of {data.offers.length} recent
          </Text>
        )}
      </div>
      {query.isLoading ? (
        <LoadingState />
      ) : query.error || !data ? (
        <ErrorState error={query.error} what="Personal offers" onRetry={() => query.refetch()} />
      ) : (
        <>
          <CurrentOffer offer={active} policyName={active ? data.policies[active.policy_id] : undefined} />
          <PurchaseHistory history={data.propensity.history} />
          <KeyValue label="Likely next purchases">
            {next.length ? (
              <span>
                {next.map((item) => item.title ?? item.id).join(", ")}
                {data.propensity.model_version && <span className="text-ui-fg-muted"> ({data.propensity.model_version})</span>}
              </span>
            ) : (
              <span className="text-ui-fg-muted">Not scored yet</span>
            )}
          </KeyValue>
          <div className="px-6 py-3">
            <Text size="small" weight="plus">
              Recent decisions
            </Text>
          </div>
          {data.decisions.length === 0 ? (
            <div className="px-6 py-4">
              <Text size="small" className="text-ui-fg-muted">
                No offer decisions for this customer yet: decisions are made when a logged-in customer's cart changes under an active policy.
              </Text>
            </div>
          ) : (
            <Table>
              <Table.Header>
                <Table.Row>
                  <Table.HeaderCell>When</Table.HeaderCell>
                  <Table.HeaderCell>Policy</Table.HeaderCell>
                  <Table.HeaderCell>Group</Table.HeaderCell>
                  <Table.HeaderCell>Offer</Table.HeaderCell>
                  <Table.HeaderCell title="Probability with which the policy chose this offer for a shopper of this group (logged for off-policy evaluation). The holdout is assigned by customer, so a holdout shopper gets no offer with certainty: 100%.">Choice prob.</Table.HeaderCell>
                </Table.Row>
              </Table.Header>
              <Table.Body>
                {data.decisions.map((decision) => (
                  <Table.Row key={decision.id} title={reasonText(decision.reasons)}>
                    <Table.Cell>{dateTime(decision.created_at)}</Table.Cell>
                    <Table.Cell>{data.policies[decision.policy_id] ?? decision.policy_id}</Table.Cell>
                    <Table.Cell>
                      <Badge size="2xsmall" color={GROUP_COLORS[decision.group] ?? "grey"}>
                        {humanize(decision.group)}
                        {decision.shadow ? " (shadow)" : ""}
                      </Badge>
                    </Table.Cell>
                    <Table.Cell>{decision.chosen_percent ? `${decision.chosen_percent}%` : "none"}</Table.Cell>
                    <Table.Cell>{rate(decision.propensity, 0)}</Table.Cell>
                  </Table.Row>
                ))}
              </Table.Body>
            </Table>
          )}
        </>
      )}
    </Container>
  )
}

export const config = defineWidgetConfig({ zone: "customer.details" })

export default CustomerUpliftWidget
