import { Button, Checkbox, Drawer, Input, Label, Select, Switch, Text, toast } from "@medusajs/ui"
import { useMutation, useQueryClient } from "@tanstack/react-query"
import { useEffect, useState, type ReactNode } from "react"
import { apiPost, messageOf, statusOf } from "../lib/client"
import {
  EMPTY_POLICY,
  ROUNDS,
  STATUSES,
  apiErrorsByField,
  formToBody,
  policyToForm,
  validatePolicyForm,
  type FieldErrors,
  type PolicyField,
  type PolicyFormValues,
} from "../lib/policy"
import type { DiscountPolicy } from "../lib/types"
import { humanize } from "../lib/format"

function Field({ id, label, hint, error, children }: { id: string; label: string; hint?: string; error?: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-y-1.5" data-field={id}>
      <Label size="small" weight="plus" htmlFor={id}>
        {label}
      </Label>
      {children}
      {hint && !error && (
        <Text size="xsmall" className="text-ui-fg-muted">
          {hint}
        </Text>
      )}
      {error && (
        <Text size="xsmall" className="text-ui-fg-error" role="alert" data-testid={`error-${id}`}>
          {error}
        </Text>
      )}
    </div>
  )
}

function Choice<T extends string>({ id, value, options, onChange }: { id: string; value: T; options: readonly T[]; onChange: (value: T) => void }) {
  return (
    <Select value={value} onValueChange={(next) => onChange(next as T)}>
      <Select.Trigger id={id} data-testid={`select-${id}`}>
        <Select.Value />
      </Select.Trigger>
      <Select.Content>
        {options.map((option) => (
          <Select.Item key={option} value={option}>
            {humanize(option)}
          </Select.Item>
        ))}
      </Select.Content>
    </Select>
  )
}

/** Create or edit a discount policy in a drawer. Checks as the API does, then shows the API's own 400s by field. */
export function PolicyFormDrawer({
  open,
  onOpenChange,
  policy,
  onSaved,
}: {
  open: boolean
  onOpenChange: (open: boolean) => void
  policy?: DiscountPolicy
  onSaved?: (policy: DiscountPolicy) => void
}) {
  const [values, setValues] = useState<PolicyFormValues>(policy ? policyToForm(policy) : EMPTY_POLICY)
  const [errors, setErrors] = useState<FieldErrors>({})
  const queryClient = useQueryClient()

  useEffect(() => {
    if (open) {
      setValues(policy ? policyToForm(policy) : EMPTY_POLICY)
      setErrors({})
    }
  }, [open, policy])

  const mutation = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      apiPost<{ discount_policy: DiscountPolicy }>(policy ? `/admin/discount-policies/${policy.id}` : "/admin/discount-policies", body),
    onSuccess: async ({ discount_policy }) => {
      toast.success(policy ? `Saved "${discount_policy.name}"` : `Created "${discount_policy.name}"`)
      await queryClient.invalidateQueries({ queryKey: ["uplift", "policies"] })
      onOpenChange(false)
      onSaved?.(discount_policy)
    },
    onError: (error) => {
      if (statusOf(error) === 400) setErrors(apiErrorsByField(messageOf(error)))
      else setErrors({ form: messageOf(error) })
    },
  })

  const set = <K extends keyof PolicyFormValues>(key: K, value: PolicyFormValues[K]) => {
    setValues((current) => ({ ...current, [key]: value }))
    setErrors((current) => ({ ...current, [key]: undefined, form: undefined }))
  }

  const submit = (event: React.FormEvent) => {
    event.preventDefault()
    const found = validatePolicyForm(values)
    setErrors(found)
    if (Object.values(found).some(Boolean)) return
    mutation.mutate(formToBody(values))
  }

  const text = (field: PolicyField, label: string, options: { hint?: string; type?: string; placeholder?: string } = {}) => (
    <Field id={field} label={label} hint={options.hint} error={errors[field]}>
      <Input
        id={field}
        name={field}
        type={options.type ?? "text"}
        inputMode={options.type === "number" ? "decimal" : undefined}
        placeholder={options.placeholder}
        value={values[field] as string}
        aria-invalid={Boolean(errors[field])}
        onChange={(event) => set(field, event.target.value as never)}
      />
    </Field>
  )

  return (
    <Drawer open={open} onOpenChange={onOpenChange}>
      <Drawer.Content className="max-w-xl" data-testid="policy-form">
        <form onSubmit={submit} className="flex h-full flex-col overflow-hidden" noValidate>
          <Drawer.Header>
            <Drawer.Title>{policy ? `Edit ${policy.name}` : "Create discount policy"}</Drawer.Title>
            <Drawer.Description className="sr-only">Who gets a personal discount, which levels, and what it may cost.</Drawer.Description>
          </Drawer.Header>
          <Drawer.Body className="flex flex-col gap-y-5 overflow-y-auto">
            {errors.form && (
              <div className="rounded-md border border-ui-border-error bg-ui-bg-subtle p-3" role="alert" data-testid="error-form">
                <Text size="small" className="text-ui-fg-error">
                  {errors.form}
                </Text>
              </div>
            )}
            {text("name", "Name", { placeholder: "Welcome offer" })}
            <div className="grid grid-cols-2 gap-4">
              <Field id="status" label="Status" hint="Shadow decides and logs, applies nothing">
                <Choice id="status" value={values.status} options={STATUSES} onChange={(v) => set("status", v)} />
              </Field>
              <Field id="strategy" label="Strategy" hint="Model: the level that pays; fixed: the top level">
                <Choice id="strategy" value={values.strategy} options={["model", "fixed"] as const} onChange={(v) => set("strategy", v)} />
              </Field>
              <Field id="objective" label="Objective">
                <Choice id="objective" value={values.objective} options={["profit", "revenue", "conversion"] as const} onChange={(v) => set("objective", v)} />
              </Field>
              <Field id="cold_start" label="Before a model is trained" hint="No discount beyond exploration, a modest prior's choice, or every level equally often (an even test of the ladder) until the first model serves">
                <Choice id="cold_start" value={values.cold_start} options={["no_discount", "prior", "explore"] as const} onChange={(v) => set("cold_start", v)} />
              </Field>
              <Field id="target" label="Discount applies to">
                <Choice id="target" value={values.target} options={["order", "items"] as const} onChange={(v) => set("target", v)} />
              </Field>
            </div>
            <Field id="rounds" label="Rounds" error={errors.rounds} hint="When a shopper is considered for an offer">
              <div className="grid grid-cols-2 gap-2">
                {ROUNDS.map((round) => (
                  <div key={round.value} className="flex items-center gap-x-2">
                    <Checkbox
                      id={`round-${round.value}`}
                      checked={values.rounds.includes(round.value)}
                      onCheckedChange={(checked) =>
                        set("rounds", checked ? [...values.rounds, round.value] : values.rounds.filter((r) => r !== round.value))
                      }
                    />
                    <Label size="small" htmlFor={`round-${round.value}`}>
                      {round.label}
                    </Label>
                  </div>
                ))}
              </div>
            </Field>
            <div className="grid grid-cols-2 gap-4">
              {text("win_back_after_days", "Win-back after (days)", { type: "number", hint: "Required for win-back" })}
              {text("abandoned_after_hours", "Abandoned after (hours)", { type: "number", hint: "Required for abandoned cart" })}
            </div>
            <div className="grid grid-cols-2 gap-4">
              {text("ladder", "Ladder (%)", { hint: "Levels that may be offered, e.g. 5, 10, 15" })}
              {text("max_discount_percent", "Maximum discount (%)", { type: "number" })}
              {text("min_margin_percent", "Margin floor (%)", { type: "number", hint: "Levels that leave less margin are skipped" })}
              {text("holdout_percent", "Holdout (%)", { type: "number", hint: "0-50; the randomized control group" })}
              {text("exploration_percent", "Exploration (%)", { type: "number", hint: "0-50" })}
              {text("per_customer_limit", "Redemptions per customer", { type: "number" })}
              {text("offer_ttl_hours", "Offer lifetime (hours)", { type: "number" })}
            </div>
            <div className="grid grid-cols-2 gap-4">
              <Field id="stacking" label="Stacking" hint="Combine needs a total cap">
                <Choice id="stacking" value={values.stacking} options={["exclusive", "combine"] as const} onChange={(v) => set("stacking", v)} />
              </Field>
              {text("max_total_discount_percent", "Total discount cap (%)", { type: "number" })}
            </div>
            <div className="flex flex-col gap-y-3 rounded-lg border border-ui-border-base p-4">
              <div className="flex items-center gap-x-2">
                <Switch id="budget_enabled" checked={values.budget_enabled} onCheckedChange={(checked) => set("budget_enabled", checked)} />
                <Label size="small" weight="plus" htmlFor="budget_enabled">
                  Budget
                </Label>
              </div>
              {values.budget_enabled && (
                <div className="grid grid-cols-3 gap-4">
                  {text("budget_amount", "Amount", { type: "number" })}
                  {text("budget_currency_code", "Currency")}
                  <Field id="budget_period" label="Per">
                    <Choice id="budget_period" value={values.budget_period} options={["day", "week", "month"] as const} onChange={(v) => set("budget_period", v)} />
                  </Field>
                </div>
              )}
            </div>
            <div className="flex flex-col gap-y-3 rounded-lg border border-ui-border-base p-4">
              <div className="flex items-center gap-x-2">
                <Switch id="fairness_enabled" checked={values.fairness_enabled} onCheckedChange={(checked) => set("fairness_enabled", checked)} />
                <Label size="small" weight="plus" htmlFor="fairness_enabled">
                  Fairness cap
                </Label>
              </div>
              {values.fairness_enabled && (
                <div className="grid grid-cols-2 gap-4">
                  <Field id="fairness_attribute" label="Attribute">
                    <Choice id="fairness_attribute" value={values.fairness_attribute} options={["country", "region"] as const} onChange={(v) => set("fairness_attribute", v)} />
                  </Field>
                  {text("fairness_max_gap", "Largest gap in offer rate", { type: "number", hint: "0-1" })}
                </div>
              )}
            </div>
          </Drawer.Body>
          <Drawer.Footer>
            <Drawer.Close asChild>
              <Button size="small" variant="secondary" type="button">
                Cancel
              </Button>
            </Drawer.Close>
            <Button size="small" type="submit" isLoading={mutation.isPending} data-testid="policy-submit">
              {policy ? "Save" : "Create"}
            </Button>
          </Drawer.Footer>
        </form>
      </Drawer.Content>
    </Drawer>
  )
}
