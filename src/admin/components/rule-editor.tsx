import { Plus, Trash } from "@medusajs/icons"
import { Button, Drawer, IconButton, Input, Label, Select, Switch, Text, toast } from "@medusajs/ui"
import { useMutation, useQueryClient } from "@tanstack/react-query"
import { useEffect, useState } from "react"
import { apiPost, messageOf } from "../lib/client"
import { OPERATORS_BY_TYPE, OPERATOR_LABELS, RULE_ACTIONS, RULE_FIELDS } from "../lib/rule-fields"
import { NEW_RULE, draftToBody, hasErrors, ruleToDraft, validateRule, type ConditionDraft, type RuleDraft, type RuleErrors } from "../lib/rules"
import type { FraudRule } from "../lib/types"
import { humanize } from "../lib/format"

const FIELD_NAMES = Object.keys(RULE_FIELDS)

function ConditionRow({
  condition,
  index,
  error,
  onChange,
  onRemove,
}: {
  condition: ConditionDraft
  index: number
  error?: string
  onChange: (next: ConditionDraft) => void
  onRemove: () => void
}) {
  const spec = RULE_FIELDS[condition.field]
  const operators = spec ? OPERATORS_BY_TYPE[spec.type] : []
  return (
    <div className="flex flex-col gap-y-1.5 rounded-lg border border-ui-border-base p-3" data-testid={`condition-${index}`}>
      <div className="grid grid-cols-[1fr_7rem_1fr_auto] items-center gap-2">
        <Select
          size="small"
          value={condition.field}
          onValueChange={(field) => {
            const type = RULE_FIELDS[field]?.type
            const operator = type && OPERATORS_BY_TYPE[type].includes(condition.operator as never) ? condition.operator : "eq"
            onChange({ field, operator, value: type === "boolean" ? "true" : condition.value })
          }}
        >
          <Select.Trigger aria-label="Field">
            <Select.Value placeholder="Field" />
          </Select.Trigger>
          <Select.Content>
            {FIELD_NAMES.map((name) => (
              <Select.Item key={name} value={name}>
                {name}
              </Select.Item>
            ))}
          </Select.Content>
        </Select>
        <Select size="small" value={condition.operator} onValueChange={(operator) => onChange({ ...condition, operator })}>
          <Select.Trigger aria-label="Operator">
            <Select.Value />
          </Select.Trigger>
          <Select.Content>
            {operators.map((operator) => (
              <Select.Item key={operator} value={operator}>
                {OPERATOR_LABELS[operator] ?? operator}
              </Select.Item>
            ))}
          </Select.Content>
        </Select>
        {spec?.type === "boolean" ? (
          <Select size="small" value={condition.value} onValueChange={(value) => onChange({ ...condition, value })}>
            <Select.Trigger aria-label="Value">
              <Select.Value />
            </Select.Trigger>
            <Select.Content>
              <Select.Item value="true">true</Select.Item>
              <Select.Item value="false">false</Select.Item>
            </Select.Content>
          </Select>
        ) : (
          <Input
            size="small"
            aria-label="Value"
            placeholder={condition.operator === "in" || condition.operator === "nin" ? "a, b, c" : spec?.type === "number" ? "0" : "value"}
            value={condition.value}
            onChange={(event) => onChange({ ...condition, value: event.target.value })}
          />
        )}
        <IconButton size="small" variant="transparent" type="button" aria-label="Remove condition" onClick={onRemove}>
          <Trash />
        </IconButton>
      </div>
      {spec && (
        <Text size="xsmall" className="text-ui-fg-muted">
          {spec.description}
          {spec.hashed ? " · compared hashed" : ""}
        </Text>
      )}
      {error && (
        <Text size="xsmall" className="text-ui-fg-error" role="alert">
          {error}
        </Text>
      )}
    </div>
  )
}

/** Create or edit a fraud rule: all conditions must hold for the action to apply. */
export function RuleEditorDrawer({ open, onOpenChange, rule }: { open: boolean; onOpenChange: (open: boolean) => void; rule?: FraudRule }) {
  const [draft, setDraft] = useState<RuleDraft>(NEW_RULE)
  const [errors, setErrors] = useState<RuleErrors>({ byCondition: {} })
  const queryClient = useQueryClient()
  useEffect(() => {
    if (open) {
      setDraft(rule ? ruleToDraft(rule) : NEW_RULE)
      setErrors({ byCondition: {} })
    }
  }, [open, rule])
  const mutation = useMutation({
    mutationFn: (body: Record<string, unknown>) => apiPost<{ rule: FraudRule }>(rule ? `/admin/fraud/rules/${rule.id}` : "/admin/fraud/rules", body),
    onSuccess: async ({ rule: saved }) => {
      toast.success(rule ? `Saved rule "${saved.name}"` : `Created rule "${saved.name}"`)
      await queryClient.invalidateQueries({ queryKey: ["uplift", "fraud", "rules"] })
      onOpenChange(false)
    },
    onError: (error) => setErrors({ byCondition: {}, form: messageOf(error) }),
  })
  const update = (patch: Partial<RuleDraft>) => {
    setDraft((current) => ({ ...current, ...patch }))
    setErrors({ byCondition: {} })
  }
  const submit = (event: React.FormEvent) => {
    event.preventDefault()
    const found = validateRule(draft)
    setErrors(found)
    if (!hasErrors(found)) mutation.mutate(draftToBody(draft))
  }
  return (
    <Drawer open={open} onOpenChange={onOpenChange}>
      <Drawer.Content className="max-w-2xl" data-testid="rule-editor">
        <form onSubmit={submit} className="flex h-full flex-col overflow-hidden" noValidate>
          <Drawer.Header>
            <Drawer.Title>{rule ? `Edit rule ${rule.name}` : "Create fraud rule"}</Drawer.Title>
            <Drawer.Description className="sr-only">Conditions on checkout signals and the action when all of them hold</Drawer.Description>
          </Drawer.Header>
          <Drawer.Body className="flex flex-col gap-y-5 overflow-y-auto">
            {errors.form && (
              <div className="rounded-md border border-ui-border-error p-3" role="alert">
                <Text size="small" className="text-ui-fg-error">
                  {errors.form}
                </Text>
              </div>
            )}
            <div className="flex flex-col gap-y-1.5">
              <Label size="small" weight="plus" htmlFor="rule-name">
                Name
              </Label>
              <Input id="rule-name" value={draft.name} placeholder="Large first orders" onChange={(event) => update({ name: event.target.value })} />
              {errors.name && (
                <Text size="xsmall" className="text-ui-fg-error">
                  {errors.name}
                </Text>
              )}
            </div>
            <div className="grid grid-cols-3 gap-4">
              <div className="flex flex-col gap-y-1.5">
                <Label size="small" weight="plus">
                  Action
                </Label>
                <Select value={draft.action} onValueChange={(action) => update({ action: action as FraudRule["action"] })}>
                  <Select.Trigger aria-label="Action">
                    <Select.Value />
                  </Select.Trigger>
                  <Select.Content>
                    {RULE_ACTIONS.map((action) => (
                      <Select.Item key={action} value={action}>
                        {humanize(action)}
                      </Select.Item>
                    ))}
                  </Select.Content>
                </Select>
              </div>
              <div className="flex flex-col gap-y-1.5">
                <Label size="small" weight="plus" htmlFor="rule-priority">
                  Priority
                </Label>
                <Input id="rule-priority" type="number" value={draft.priority} onChange={(event) => update({ priority: event.target.value })} />
                {errors.priority && (
                  <Text size="xsmall" className="text-ui-fg-error">
                    {errors.priority}
                  </Text>
                )}
              </div>
              <div className="flex items-center gap-x-2 pt-6">
                <Switch id="rule-enabled" checked={draft.enabled} onCheckedChange={(enabled) => update({ enabled })} />
                <Label size="small" htmlFor="rule-enabled">
                  Enabled
                </Label>
              </div>
            </div>
            <div className="flex flex-col gap-y-2">
              <div className="flex items-center justify-between">
                <Label size="small" weight="plus">
                  When all of these hold
                </Label>
                <Button
                  size="small"
                  variant="secondary"
                  type="button"
                  onClick={() => update({ conditions: [...draft.conditions, { field: "risk.score", operator: "gte", value: "80" }] })}
                >
                  <Plus /> Condition
                </Button>
              </div>
              {errors.conditions && (
                <Text size="xsmall" className="text-ui-fg-error">
                  {errors.conditions}
                </Text>
              )}
              {draft.conditions.map((condition, index) => (
                <ConditionRow
                  key={index}
                  index={index}
                  condition={condition}
                  error={errors.byCondition[index]}
                  onChange={(next) => update({ conditions: draft.conditions.map((c, i) => (i === index ? next : c)) })}
                  onRemove={() => update({ conditions: draft.conditions.filter((_, i) => i !== index) })}
                />
              ))}
            </div>
          </Drawer.Body>
          <Drawer.Footer>
            <Drawer.Close asChild>
              <Button size="small" variant="secondary" type="button">
                Cancel
              </Button>
            </Drawer.Close>
            <Button size="small" type="submit" isLoading={mutation.isPending}>
              {rule ? "Save" : "Create"}
            </Button>
          </Drawer.Footer>
        </form>
      </Drawer.Content>
    </Drawer>
  )
}
