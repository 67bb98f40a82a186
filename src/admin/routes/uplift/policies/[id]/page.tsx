import { ArrowUturnLeft, PencilSquare } from "@medusajs/icons"
import { Button, Container, Heading, Select, Table, Text } from "@medusajs/ui"
import { useQuery } from "@tanstack/react-query"
import { useState } from "react"
import { Link, useParams } from "react-router-dom"
import { PolicyStatusBadge } from "../../../../components/badges"
import { usePolicyStatusAction } from "../../../../components/policy-actions"
import { PolicyFormDrawer } from "../../../../components/policy-form"
import { ChartCard, ConversionChart, FunnelChart, IncrementalProfitChart, SpendChart } from "../../../../components/report-charts"
import { EmptyState, ErrorState, KeyValue, LoadingState, QueryState, Section } from "../../../../components/states"
import { apiGet } from "../../../../lib/client"
import { clearOfZero, humanize, interval, money, num, rate } from "../../../../lib/format"
import { chartPeriods } from "../../../../lib/report-series"
import type { DiscountPolicy, Interval, PolicyReport } from "../../../../lib/types"

function StatusActions({ policy, onEdit }: { policy: DiscountPolicy; onEdit: () => void }) {
  const setStatus = usePolicyStatusAction(policy)
  return (
    <div className="flex flex-wrap items-center gap-2">
      {policy.status === "active" ? (
        <Button size="small" variant="secondary" onClick={() => setStatus("paused")}>
          Pause
        </Button>
      ) : (
        <Button size="small" variant="secondary" onClick={() => setStatus("active")}>
          {policy.status === "paused" ? "Resume" : "Activate"}
        </Button>
      )}
      {policy.status !== "shadow" && (
        <Button size="small" variant="secondary" onClick={() => setStatus("shadow")}>
          Run in shadow
        </Button>
      )}
      <Button size="small" variant="secondary" onClick={onEdit} data-testid="edit-policy">
        <PencilSquare /> Edit
      </Button>
    </div>
  )
}

function IntervalHeader({ first }: { first: string }) {
  return (
    <Table.Header>
      <Table.Row>
        <Table.HeaderCell>{first}</Table.HeaderCell>
        <Table.HeaderCell>Value</Table.HeaderCell>
        <Table.HeaderCell>95% interval</Table.HeaderCell>
        <Table.HeaderCell>Clear of zero</Table.HeaderCell>
      </Table.Row>
    </Table.Header>
  )
}

function IntervalRow({ label, value, format, missing = "-" }: { label: string; value: Interval | null | undefined; format: (v: number) => string; missing?: string }) {
  const significant = clearOfZero(value?.ci95)
  const testId = `estimate-${label.toLowerCase().replace(/[^a-z]+/g, "-")}`
  if (!value) {
    return (
      <Table.Row data-testid={testId}>
        <Table.Cell>{label}</Table.Cell>
        <Table.Cell className="text-ui-fg-muted">{missing}</Table.Cell>
        <Table.Cell />
        <Table.Cell />
      </Table.Row>
    )
  }
  return (
    <Table.Row data-testid={testId}>
      <Table.Cell>{label}</Table.Cell>
      <Table.Cell className={significant ? (value.value > 0 ? "text-ui-fg-interactive" : "text-ui-fg-error") : undefined}>{format(value.value)}</Table.Cell>
      <Table.Cell>{interval(value.ci95, format)}</Table.Cell>
      <Table.Cell>{significant ? "Yes" : "Not yet"}</Table.Cell>
    </Table.Row>
  )
}

/**
 * Why an off-policy row has no number: no closed decision logged the model's candidate levels (a replayed or
 * randomized log has none), or too few took the level the strategy picks.
 */
function offPolicyMissing(report: PolicyReport): string {
  return report.off_policy.decisions ? "Not enough data at this level" : "No decisions with the model's candidates yet"
}

/**
 * The off-policy rows judge the candidates logged with each decision. Where none were logged (a randomized or
 * replayed log) and the learned-policy table below judges the active model on those decisions instead, three
 * rows saying "no data" would only contradict it.
 */
function showOffPolicy(report: PolicyReport): boolean {
  return report.off_policy.decisions > 0 || !report.learned_policy
}

/**
 * The active response model as a policy against fixed levels, estimated (inverse propensity) on this
 * policy's decisions made after the model's training data, whose windows have closed.
 */
function LearnedPolicyTable({ report, format }: { report: PolicyReport; format: (v: number) => string }) {
  const learned = report.learned_policy
  if (!learned) return null
  const missing = learned.decisions ? "Not enough data at this level" : "No closed decisions after its training data yet"
  const since = learned.evaluated_after ? ` after ${learned.evaluated_after.slice(0, 10)}` : ""
  const chosen = learned.learned.chosen
    .filter((entry) => entry.customers > 0)
    .map((entry) => `${entry.percent ? `${entry.percent}%` : "no discount"} to ${num(entry.customers, 0)}`)
    .join(", ")
  return (
    <div className="flex flex-col gap-y-2" data-testid="learned-policy">
      <Text size="small" weight="plus">
        What the learned policy would have earned, against fixed levels
      </Text>
      <Text size="xsmall" className="text-ui-fg-subtle">
        Model {learned.model_version}, judged on {num(learned.decisions, 0)} decisions{since} it did not learn from (attribution window closed), by
        inverse propensity weighting of their logged levels. Profit per decided customer.
        {learned.decisions > 0 && ` It would give ${chosen}.`}
      </Text>
      <Table>
        <IntervalHeader first="Strategy" />
        <Table.Body>
          <IntervalRow label="Learned policy (per customer)" value={learned.learned.per_customer} format={format} missing={missing} />
          {learned.fixed.map((entry) => (
            <IntervalRow key={entry.percent} label={`Everyone ${entry.percent}% (per customer)`} value={entry.per_customer} format={format} missing={missing} />
          ))}
          <IntervalRow
            label={`Learned minus the best fixed level${learned.best_fixed_percent === null ? "" : ` (${learned.best_fixed_percent}%)`}`}
            value={learned.learned_minus_best_fixed}
            format={format}
            missing={missing}
          />
        </Table.Body>
      </Table>
    </div>
  )
}

function ReportNumbers({ report, currency }: { report: PolicyReport; currency?: string | null }) {
  const m = (v: number) => money(v, currency)
  const arms = [
    { label: "Customers", get: (a: PolicyReport["treated"]) => num(a.customers, 0) },
    { label: "Converted", get: (a: PolicyReport["treated"]) => num(a.conversions, 0) },
    { label: "Conversion rate", get: (a: PolicyReport["treated"]) => rate(a.conversion_rate) },
    { label: "Revenue per customer", get: (a: PolicyReport["treated"]) => m(a.revenue_per_customer) },
    { label: "Profit per customer", get: (a: PolicyReport["treated"]) => m(a.profit_per_customer) },
    { label: "Discount cost", get: (a: PolicyReport["treated"]) => m(a.discount_cost) },
  ]
  return (
    <div className="flex flex-col gap-y-4" data-testid="report-table">
      <Table>
        <Table.Header>
          <Table.Row>
            <Table.HeaderCell>Arm</Table.HeaderCell>
            <Table.HeaderCell>Treated</Table.HeaderCell>
            <Table.HeaderCell>Holdout</Table.HeaderCell>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {arms.map((row) => (
            <Table.Row key={row.label}>
              <Table.Cell>{row.label}</Table.Cell>
              <Table.Cell>{row.get(report.treated)}</Table.Cell>
              <Table.Cell>{row.get(report.holdout)}</Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
      <Table>
        <IntervalHeader first="Estimate" />
        <Table.Body>
          <IntervalRow label="Incremental profit" value={report.incremental_profit} format={m} />
          <IntervalRow label="Incremental profit per customer" value={report.incremental_profit_per_customer} format={m} />
          <IntervalRow label="Incremental conversion rate" value={report.incremental_conversion_rate} format={(v) => rate(v, 2)} />
          {showOffPolicy(report) && (
            <>
              <IntervalRow label="Off-policy: model strategy (per customer)" value={report.off_policy.model} format={m} missing={offPolicyMissing(report)} />
              <IntervalRow label="Off-policy: everyone the top level (per customer)" value={report.off_policy.fixed} format={m} missing={offPolicyMissing(report)} />
              <IntervalRow label="Off-policy: model minus top level" value={report.off_policy.model_minus_fixed} format={m} missing={offPolicyMissing(report)} />
            </>
          )}
        </Table.Body>
      </Table>
      <LearnedPolicyTable report={report} format={m} />
      {report.daily.length > 0 && (
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Day</Table.HeaderCell>
              <Table.HeaderCell>Incremental profit / customer</Table.HeaderCell>
              <Table.HeaderCell>95% interval</Table.HeaderCell>
              <Table.HeaderCell>Incremental profit</Table.HeaderCell>
              <Table.HeaderCell>Treated conv.</Table.HeaderCell>
              <Table.HeaderCell>Holdout conv.</Table.HeaderCell>
              <Table.HeaderCell>Discount cost</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {report.daily.map((day) => (
              <Table.Row key={day.date}>
                <Table.Cell>{day.date}</Table.Cell>
                <Table.Cell>{m(day.incremental_profit_per_customer)}</Table.Cell>
                <Table.Cell>{interval(day.incremental_profit_per_customer_ci95, m)}</Table.Cell>
                <Table.Cell>{m(day.incremental_profit)}</Table.Cell>
                <Table.Cell>{rate(day.treated_conversion_rate)}</Table.Cell>
                <Table.Cell>{rate(day.holdout_conversion_rate)}</Table.Cell>
                <Table.Cell>{m(day.discount_cost)}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
    </div>
  )
}

function Headline({ label, value, sub }: { label: string; value: string; sub?: string }) {
  return (
    <div className="flex flex-col gap-y-0.5 px-6 py-4">
      <Text size="xsmall" className="text-ui-fg-muted">
        {label}
      </Text>
      <Text size="xlarge" weight="plus">
        {value}
      </Text>
      {sub && (
        <Text size="xsmall" className="text-ui-fg-subtle">
          {sub}
        </Text>
      )}
    </div>
  )
}

const PolicyReportPage = () => {
  const { id } = useParams()
  const [windowDays, setWindowDays] = useState("14")
  const [editOpen, setEditOpen] = useState(false)
  const policyQuery = useQuery({
    queryKey: ["uplift", "policies", "detail", id],
    queryFn: () => apiGet<{ discount_policy: DiscountPolicy }>(`/admin/discount-policies/${id}`),
    enabled: Boolean(id),
  })
  const reportQuery = useQuery({
    queryKey: ["uplift", "policies", "report", id, windowDays],
    queryFn: () => apiGet<{ report: PolicyReport }>(`/admin/discount-policies/${id}/report`, { window_days: windowDays }),
    enabled: Boolean(id),
  })

  if (policyQuery.isLoading) return <Container className="p-0"><LoadingState /></Container>
  if (policyQuery.error || !policyQuery.data) {
    return (
      <Container className="p-0">
        <ErrorState error={policyQuery.error} what="Discount policy" onRetry={() => policyQuery.refetch()} />
      </Container>
    )
  }
  const policy = policyQuery.data.discount_policy
  const currency = policy.budget?.currency_code ?? reportQuery.data?.report.budget?.currency_code ?? "usd"

  return (
    <div className="flex flex-col gap-y-3">
      <Container className="flex flex-wrap items-center justify-between gap-4 px-6 py-4">
        <div className="flex flex-col gap-y-1">
          <Link to="/uplift/policies" className="txt-compact-small text-ui-fg-subtle flex items-center gap-x-1">
            <ArrowUturnLeft /> Discount policies
          </Link>
          <div className="flex items-center gap-x-3">
            <Heading level="h1" data-testid="policy-name">
              {policy.name}
            </Heading>
            <PolicyStatusBadge status={policy.status} />
          </div>
          <Text size="small" className="text-ui-fg-subtle">
            {humanize(policy.strategy)} strategy, {policy.rounds.map(humanize).join(", ")}; ladder {policy.ladder.join(" / ")}% (max {policy.max_discount_percent}%), holdout{" "}
            {policy.holdout_percent}%
          </Text>
        </div>
        <StatusActions policy={policy} onEdit={() => setEditOpen(true)} />
      </Container>

      <Section
        title="Incrementality report"
        testId="policy-report"
        actions={
          <Select size="small" value={windowDays} onValueChange={setWindowDays}>
            <Select.Trigger className="w-44" aria-label="Attribution window">
              <Select.Value />
            </Select.Trigger>
            <Select.Content>
              {["7", "14", "30", "90"].map((days) => (
                <Select.Item key={days} value={days}>
                  {days}-day attribution
                </Select.Item>
              ))}
            </Select.Content>
          </Select>
        }
      >
        <QueryState query={reportQuery} what="Policy report">
          {({ report }) =>
            report.treated.customers + report.holdout.customers === 0 && report.funnel.decisions === 0 ? (
              <EmptyState
                title="No decisions under this policy yet"
                description={
                  policy.status === "active" || policy.status === "shadow"
                    ? "Decisions appear as logged-in customers shop; the report compares them with the holdout."
                    : "Activate the policy (or run it in shadow) and decisions will appear as customers shop."
                }
              />
            ) : (
              <div className="flex flex-col gap-y-4 pb-6">
                <div className="grid grid-cols-2 divide-x md:grid-cols-4">
                  <Headline label="Incremental profit" value={money(report.incremental_profit.value, currency)} sub={`95%: ${interval(report.incremental_profit.ci95, (v) => money(v, currency))}`} />
                  <Headline label="Conversion treated vs holdout" value={`${rate(report.treated.conversion_rate)} vs ${rate(report.holdout.conversion_rate)}`} sub={`${num(report.treated.customers, 0)} vs ${num(report.holdout.customers, 0)} customers${report.open_windows?.customers ? `; ${num(report.open_windows.customers, 0)} more once their ${report.window_days}-day window closes` : ""}`} />
                  <Headline
                    label={report.budget ? "Budget spent this period" : "Redeemed discount"}
                    value={money(report.budget?.spent ?? report.treated.discount_cost, currency)}
                    sub={
                      report.budget
                        ? `${money(report.budget.reserved, currency)} reserved for open offers, of ${money(report.budget.amount, currency)} per ${report.budget.period}`
                        : "no budget set"
                    }
                  />
                  <Headline label="Redeemed offers" value={num(report.funnel.offers_redeemed, 0)} sub={`of ${num(report.funnel.offers_issued, 0)} issued`} />
                </div>
                <div className="grid grid-cols-1 gap-4 px-6 lg:grid-cols-2">
                  <ChartCard title="Incremental profit per customer" description={`Treated minus holdout, by decision ${chartPeriods(report).unit}, with the 95% interval`} testId="chart-incremental">
                    <IncrementalProfitChart report={report} currency={currency} />
                  </ChartCard>
                  <ChartCard title="Conversion: treated vs holdout" description="Share of customers who ordered within the window" testId="chart-conversion">
                    <ConversionChart report={report} />
                  </ChartCard>
                  <ChartCard title="Discount spend vs budget" description={`Redeemed discount by decision ${chartPeriods(report).unit} and its running total`} testId="chart-spend">
                    <SpendChart report={report} currency={currency} />
                  </ChartCard>
                  <ChartCard title="Offer funnel" description="Decisions, offers issued, offers on a cart, redeemed" testId="chart-funnel">
                    <FunnelChart report={report} />
                  </ChartCard>
                </div>
                <div className="px-6">
                  <ReportNumbers report={report} currency={currency} />
                </div>
              </div>
            )
          }
        </QueryState>
      </Section>

      <Section title="Settings">
        <div className="divide-y">
          <KeyValue label="Objective">{humanize(policy.objective)}</KeyValue>
          <KeyValue label="Before a model is trained">{humanize(policy.cold_start ?? "no_discount")}</KeyValue>
          <KeyValue label="Applies to">{humanize(policy.target)}</KeyValue>
          <KeyValue label="Margin floor">{policy.min_margin_percent}%</KeyValue>
          <KeyValue label="Exploration">{policy.exploration_percent}%</KeyValue>
          <KeyValue label="Per customer">{policy.per_customer_limit} redemption(s)</KeyValue>
          <KeyValue label="Offer lifetime">{policy.offer_ttl_hours} hours</KeyValue>
          <KeyValue label="Stacking">{policy.stacking === "combine" ? `Combine, up to ${policy.max_total_discount_percent}% in total` : "Exclusive"}</KeyValue>
          <KeyValue label="Budget">{policy.budget ? `${money(policy.budget.amount, policy.budget.currency_code)} per ${policy.budget.period}` : "None"}</KeyValue>
          <KeyValue label="Fairness">{policy.fairness ? `Offer rate gap by ${policy.fairness.attribute} at most ${policy.fairness.max_gap}` : "None"}</KeyValue>
        </div>
      </Section>
      <PolicyFormDrawer open={editOpen} onOpenChange={setEditOpen} policy={policy} />
    </div>
  )
}

export default PolicyReportPage
