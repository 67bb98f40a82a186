import { defineRouteConfig } from "@medusajs/admin-sdk"
import { Container, Drawer, Select, Table, Text } from "@medusajs/ui"
import { useQuery } from "@tanstack/react-query"
import { useState } from "react"
import { DecisionBadge, HoldStatusBadge, ScoreBadge } from "../../../components/badges"
import { HoldDetails } from "../../../components/hold-details"
import { EmptyState, PageHeader, QueryState } from "../../../components/states"
import { apiGet } from "../../../lib/client"
import { dateTime, money } from "../../../lib/format"
import { customerName, useOrderAssessment, useOrderSummary } from "../../../lib/orders"
import type { FraudHold } from "../../../lib/types"
import { PAGE_SIZE, TablePager } from "../../../components/table-pager"

type Filter = "open" | "released" | "rejected" | "all"

function HoldRow({ hold, onOpen }: { hold: FraudHold; onOpen: () => void }) {
  const order = useOrderSummary(hold.order_id)
  const assessment = useOrderAssessment(hold.order_id)
  const negatives = assessment.data?.facts?.filter((fact) => fact.sentiment === "negative") ?? []
  return (
    <Table.Row className="cursor-pointer" onClick={onOpen} data-testid="hold-row" data-order-id={hold.order_id ?? ""}>
      <Table.Cell>
        <span className="txt-compact-small-plus">{order.data ? `#${order.data.display_id}` : hold.order_id}</span>
      </Table.Cell>
      <Table.Cell>{order.data ? customerName(order.data) : order.isLoading ? "..." : "-"}</Table.Cell>
      <Table.Cell>{order.data ? money(order.data.total, order.data.currency_code) : "-"}</Table.Cell>
      <Table.Cell>{assessment.data !== undefined ? <ScoreBadge score={assessment.data?.score} /> : "..."}</Table.Cell>
      <Table.Cell>{assessment.data ? <DecisionBadge decision={assessment.data.decision} /> : "-"}</Table.Cell>
      <Table.Cell className="max-w-xs">
        <Text size="small" className={negatives.length ? "text-ui-tag-red-text truncate" : "text-ui-fg-subtle truncate"} title={hold.reason}>
          {negatives[0]?.message ?? hold.reason}
          {negatives.length > 1 ? ` (+${negatives.length - 1} more)` : ""}
        </Text>
      </Table.Cell>
      <Table.Cell>
        <HoldStatusBadge status={hold.status} />
      </Table.Cell>
      <Table.Cell>{dateTime(hold.created_at)}</Table.Cell>
    </Table.Row>
  )
}

const FraudQueuePage = () => {
  const [filter, setFilter] = useState<Filter>("open")
  const [page, setPage] = useState(0)
  const [selected, setSelected] = useState<FraudHold | null>(null)
  const query = useQuery({
    queryKey: ["uplift", "fraud", "holds", "list", filter, page],
    queryFn: () =>
      apiGet<{ holds: FraudHold[]; count: number }>("/admin/fraud/holds", { status: filter === "all" ? undefined : filter, limit: PAGE_SIZE, offset: page * PAGE_SIZE }),
    refetchInterval: 30_000,
  })
  return (
    <Container className="divide-y p-0">
      <PageHeader
        title="Fraud review"
        description="Orders held before capture. Capture and fulfillment wait until you release; rejecting cancels the order."
        actions={
          <Select
            size="small"
            value={filter}
            onValueChange={(value) => {
              setFilter(value as Filter)
              setPage(0)
            }}
          >
            <Select.Trigger className="w-36" aria-label="Filter by status" data-testid="hold-filter">
              <Select.Value />
            </Select.Trigger>
            <Select.Content>
              <Select.Item value="open">On hold</Select.Item>
              <Select.Item value="released">Released</Select.Item>
              <Select.Item value="rejected">Rejected</Select.Item>
              <Select.Item value="all">All</Select.Item>
            </Select.Content>
          </Select>
        }
      />
      <QueryState
        query={query}
        what="Fraud holds"
        isEmpty={(data) => data.holds.length === 0}
        empty={
          <EmptyState
            title={filter === "open" ? "No orders waiting for review" : "No holds with this status"}
            description={filter === "open" ? "Checkouts the risk model or your rules hold appear here." : undefined}
          />
        }
      >
        {(data) => (
          <>
            <Table data-testid="holds-table">
              <Table.Header>
                <Table.Row>
                  <Table.HeaderCell>Order</Table.HeaderCell>
                  <Table.HeaderCell>Customer</Table.HeaderCell>
                  <Table.HeaderCell>Total</Table.HeaderCell>
                  <Table.HeaderCell>Score</Table.HeaderCell>
                  <Table.HeaderCell>Decision</Table.HeaderCell>
                  <Table.HeaderCell>Main risk</Table.HeaderCell>
                  <Table.HeaderCell>Status</Table.HeaderCell>
                  <Table.HeaderCell>Held</Table.HeaderCell>
                </Table.Row>
              </Table.Header>
              <Table.Body>
                {data.holds.map((hold) => (
                  <HoldRow key={hold.id} hold={hold} onOpen={() => setSelected(hold)} />
                ))}
              </Table.Body>
            </Table>
            <TablePager count={data.count} page={page} onPage={setPage} />
          </>
        )}
      </QueryState>
      <Drawer open={Boolean(selected)} onOpenChange={(open) => !open && setSelected(null)}>
        <Drawer.Content className="max-w-xl">
          <Drawer.Header>
            <Drawer.Title>Review held order</Drawer.Title>
            <Drawer.Description className="sr-only">Order, customer, risk facts and the release or reject decision</Drawer.Description>
          </Drawer.Header>
          <Drawer.Body className="overflow-y-auto">
            {selected && <HoldDetails hold={selected} onResolved={(hold) => setSelected((current) => (current ? { ...current, ...hold } : current))} />}
          </Drawer.Body>
        </Drawer.Content>
      </Drawer>
    </Container>
  )
}

export const config = defineRouteConfig({ label: "Fraud review", rank: 2 })

export default FraudQueuePage
