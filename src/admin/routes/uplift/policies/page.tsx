import { defineRouteConfig } from "@medusajs/admin-sdk"
import { EllipsisHorizontal, PencilSquare, Plus } from "@medusajs/icons"
import { Button, Container, DropdownMenu, IconButton, Select, Table, Text } from "@medusajs/ui"
import { useQuery } from "@tanstack/react-query"
import { useState } from "react"
import { Link, useNavigate } from "react-router-dom"
import { PolicyStatusBadge } from "../../../components/badges"
import { PolicyFormDrawer } from "../../../components/policy-form"
import { usePolicyStatusAction } from "../../../components/policy-actions"
import { EmptyState, PageHeader, QueryState } from "../../../components/states"
import { apiGet } from "../../../lib/client"
import { humanize, money } from "../../../lib/format"
import type { DiscountPolicy, PolicyStatus } from "../../../lib/types"
import { PAGE_SIZE, TablePager } from "../../../components/table-pager"

/** Redeemed discount and, apart, what open offers hold back (reservations carry headroom for growing carts). */
function spendLabel(policy: DiscountPolicy) {
  const currency = policy.budget?.currency_code
  const spent = `${money(policy.spent ?? 0, currency)} spent`
  const reserved = policy.reserved ? `, ${money(policy.reserved, currency)} reserved` : ""
  if (!policy.budget) return `${spent}${reserved} (no budget)`
  return `${spent}${reserved} of ${money(policy.budget.amount, currency)} / ${policy.budget.period}`
}

function RowActions({ policy, onEdit }: { policy: DiscountPolicy; onEdit: () => void }) {
  const setStatus = usePolicyStatusAction(policy)
  const options: { status: PolicyStatus; label: string }[] = [
    { status: "active", label: policy.status === "paused" ? "Resume" : "Activate" },
    { status: "paused", label: "Pause" },
    { status: "shadow", label: "Run in shadow" },
  ]
  return (
    <DropdownMenu>
      <DropdownMenu.Trigger asChild>
        <IconButton size="small" variant="transparent" aria-label={`Actions for ${policy.name}`} onClick={(event) => event.stopPropagation()}>
          <EllipsisHorizontal />
        </IconButton>
      </DropdownMenu.Trigger>
      <DropdownMenu.Content onClick={(event) => event.stopPropagation()}>
        <DropdownMenu.Item className="gap-x-2" onClick={onEdit}>
          <PencilSquare className="text-ui-fg-subtle" />
          Edit
        </DropdownMenu.Item>
        <DropdownMenu.Separator />
        {options
          .filter((option) => option.status !== policy.status)
          .map((option) => (
            <DropdownMenu.Item key={option.status} onClick={() => setStatus(option.status)}>
              {option.label}
            </DropdownMenu.Item>
          ))}
      </DropdownMenu.Content>
    </DropdownMenu>
  )
}

const PoliciesPage = () => {
  const [status, setStatus] = useState<PolicyStatus | "all">("all")
  const [page, setPage] = useState(0)
  const [editing, setEditing] = useState<DiscountPolicy | undefined>()
  const [formOpen, setFormOpen] = useState(false)
  const navigate = useNavigate()
  const query = useQuery({
    queryKey: ["uplift", "policies", "list", status, page],
    queryFn: () =>
      apiGet<{ discount_policies: DiscountPolicy[]; count: number }>("/admin/discount-policies", {
        status: status === "all" ? undefined : status,
        limit: PAGE_SIZE,
        offset: page * PAGE_SIZE,
      }),
  })
  const openForm = (policy?: DiscountPolicy) => {
    setEditing(policy)
    setFormOpen(true)
  }

  return (
    <Container className="divide-y p-0">
      <PageHeader
        title="Discount policies"
        description="Personal discounts by policy: status, rounds, ladder and this period's spend."
        actions={
          <>
            <Select
              size="small"
              value={status}
              onValueChange={(value) => {
                setStatus(value as PolicyStatus | "all")
                setPage(0)
              }}
            >
              <Select.Trigger className="w-36" aria-label="Filter by status">
                <Select.Value />
              </Select.Trigger>
              <Select.Content>
                {["all", "active", "shadow", "paused", "draft"].map((value) => (
                  <Select.Item key={value} value={value}>
                    {value === "all" ? "All statuses" : humanize(value)}
                  </Select.Item>
                ))}
              </Select.Content>
            </Select>
            <Button size="small" variant="secondary" onClick={() => openForm()} data-testid="create-policy">
              <Plus /> Create
            </Button>
          </>
        }
      />
      <QueryState
        query={query}
        what="Discount policies"
        isEmpty={(data) => data.discount_policies.length === 0}
        empty={
          <EmptyState
            title={status === "all" ? "No discount policies yet" : `No ${status} policies`}
            description="A policy decides who gets a personal discount and measures what it earns against a randomized holdout."
            action={
              <Button size="small" variant="secondary" onClick={() => openForm()}>
                Create a policy
              </Button>
            }
          />
        }
      >
        {(data) => (
          <>
            <Table data-testid="policies-table">
              <Table.Header>
                <Table.Row>
                  <Table.HeaderCell>Name</Table.HeaderCell>
                  <Table.HeaderCell>Status</Table.HeaderCell>
                  <Table.HeaderCell>Rounds</Table.HeaderCell>
                  <Table.HeaderCell>Ladder</Table.HeaderCell>
                  <Table.HeaderCell>Holdout</Table.HeaderCell>
                  <Table.HeaderCell>Budget this period</Table.HeaderCell>
                  <Table.HeaderCell />
                </Table.Row>
              </Table.Header>
              <Table.Body>
                {data.discount_policies.map((policy) => (
                  <Table.Row key={policy.id} className="cursor-pointer" onClick={() => navigate(`/uplift/policies/${policy.id}`)}>
                    <Table.Cell>
                      <Link to={`/uplift/policies/${policy.id}`} className="txt-compact-small-plus" onClick={(event) => event.stopPropagation()}>
                        {policy.name}
                      </Link>
                    </Table.Cell>
                    <Table.Cell>
                      <PolicyStatusBadge status={policy.status} />
                    </Table.Cell>
                    <Table.Cell>{policy.rounds.map(humanize).join(", ")}</Table.Cell>
                    <Table.Cell>{policy.ladder.map((level) => `${level}%`).join(" / ")}</Table.Cell>
                    <Table.Cell>{policy.holdout_percent}%</Table.Cell>
                    <Table.Cell>{spendLabel(policy)}</Table.Cell>
                    <Table.Cell onClick={(event) => event.stopPropagation()}>
                      <RowActions policy={policy} onEdit={() => openForm(policy)} />
                    </Table.Cell>
                  </Table.Row>
                ))}
              </Table.Body>
            </Table>
            <TablePager count={data.count} page={page} onPage={setPage} />
          </>
        )}
      </QueryState>
      <PolicyFormDrawer open={formOpen} onOpenChange={setFormOpen} policy={editing} />
      <Text size="xsmall" className="text-ui-fg-muted px-6 py-3">
        Pausing a policy revokes its open offers and takes them off carts at once.
      </Text>
    </Container>
  )
}

export const config = defineRouteConfig({ label: "Discount policies", rank: 1 })

export default PoliciesPage
