import { defineRouteConfig } from "@medusajs/admin-sdk"
import { PencilSquare, Plus, Trash } from "@medusajs/icons"
import { Badge, Button, Container, IconButton, Switch, Table, Text, toast, usePrompt } from "@medusajs/ui"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { useState } from "react"
import { RuleEditorDrawer } from "../../../components/rule-editor"
import { EmptyState, PageHeader, QueryState } from "../../../components/states"
import { apiDelete, apiGet, apiPost, messageOf } from "../../../lib/client"
import { humanize } from "../../../lib/format"
import { describeCondition } from "../../../lib/rules"
import type { FraudRule } from "../../../lib/types"

const ACTION_COLORS = { allow: "green", hold: "orange", block: "red" } as const

const FraudRulesPage = () => {
  const [editing, setEditing] = useState<FraudRule | undefined>()
  const [open, setOpen] = useState(false)
  const queryClient = useQueryClient()
  const prompt = usePrompt()
  const query = useQuery({
    queryKey: ["uplift", "fraud", "rules"],
    queryFn: () => apiGet<{ rules: FraudRule[]; count: number }>("/admin/fraud/rules", { limit: 200 }),
  })
  const toggle = useMutation({
    mutationFn: (rule: FraudRule) => apiPost<{ rule: FraudRule }>(`/admin/fraud/rules/${rule.id}`, { enabled: !rule.enabled }),
    onSuccess: ({ rule }) => {
      toast.success(`Rule "${rule.name}" ${rule.enabled ? "enabled" : "disabled"}`)
      return queryClient.invalidateQueries({ queryKey: ["uplift", "fraud", "rules"] })
    },
    onError: (error) => toast.error(messageOf(error)),
  })
  const remove = useMutation({
    mutationFn: (rule: FraudRule) => apiDelete(`/admin/fraud/rules/${rule.id}`),
    onSuccess: () => {
      toast.success("Rule deleted")
      return queryClient.invalidateQueries({ queryKey: ["uplift", "fraud", "rules"] })
    },
    onError: (error) => toast.error(messageOf(error)),
  })
  const edit = (rule?: FraudRule) => {
    setEditing(rule)
    setOpen(true)
  }
  const confirmDelete = async (rule: FraudRule) => {
    if (await prompt({ title: `Delete rule "${rule.name}"?`, description: "Checkouts are no longer tested against it.", confirmText: "Delete", cancelText: "Cancel" })) {
      remove.mutate(rule)
    }
  }
  return (
    <Container className="divide-y p-0">
      <PageHeader
        title="Fraud rules"
        description="Rules decide before the risk score: matching allow rules first, then block, then hold (higher priority first). All conditions of a rule must hold."
        actions={
          <Button size="small" variant="secondary" onClick={() => edit()}>
            <Plus /> Create
          </Button>
        }
      />
      <QueryState
        query={query}
        what="Fraud rules"
        isEmpty={(data) => data.rules.length === 0}
        empty={
          <EmptyState
            title="No fraud rules"
            description="Without rules the risk model's score decides (hold and block thresholds). Add a rule to always hold, block or allow certain checkouts."
            action={
              <Button size="small" variant="secondary" onClick={() => edit()}>
                Create a rule
              </Button>
            }
          />
        }
      >
        {(data) => (
          <Table data-testid="rules-table">
            <Table.Header>
              <Table.Row>
                <Table.HeaderCell>Name</Table.HeaderCell>
                <Table.HeaderCell>When</Table.HeaderCell>
                <Table.HeaderCell>Action</Table.HeaderCell>
                <Table.HeaderCell>Priority</Table.HeaderCell>
                <Table.HeaderCell>Enabled</Table.HeaderCell>
                <Table.HeaderCell />
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {data.rules.map((rule) => (
                <Table.Row key={rule.id}>
                  <Table.Cell className="txt-compact-small-plus">{rule.name}</Table.Cell>
                  <Table.Cell className="max-w-md">
                    <Text size="small" className="text-ui-fg-subtle whitespace-normal">
                      {rule.conditions.map(describeCondition).join(" and ")}
                    </Text>
                  </Table.Cell>
                  <Table.Cell>
                    <Badge size="2xsmall" color={ACTION_COLORS[rule.action]}>
                      {humanize(rule.action)}
                    </Badge>
                  </Table.Cell>
                  <Table.Cell>{rule.priority}</Table.Cell>
                  <Table.Cell>
                    <Switch checked={rule.enabled} aria-label={`Enable ${rule.name}`} onCheckedChange={() => toggle.mutate(rule)} disabled={toggle.isPending} />
                  </Table.Cell>
                  <Table.Cell>
                    <div className="flex justify-end gap-x-1">
                      <IconButton size="small" variant="transparent" aria-label={`Edit ${rule.name}`} onClick={() => edit(rule)}>
                        <PencilSquare />
                      </IconButton>
                      <IconButton size="small" variant="transparent" aria-label={`Delete ${rule.name}`} onClick={() => confirmDelete(rule)}>
                        <Trash />
                      </IconButton>
                    </div>
                  </Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        )}
      </QueryState>
      <RuleEditorDrawer open={open} onOpenChange={setOpen} rule={editing} />
    </Container>
  )
}

export const config = defineRouteConfig({ label: "Fraud rules", rank: 3 })

export default FraudRulesPage
