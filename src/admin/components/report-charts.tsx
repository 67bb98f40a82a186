import { Text } from "@medusajs/ui"
import type { ReactNode } from "react"
import {
  Area,
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ComposedChart,
  ErrorBar,
  LabelList,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts"
import { money, num, rate } from "../lib/format"
import { chartPeriods, incrementalProfitPerCustomerSeries } from "../lib/report-series"
import type { PolicyReport } from "../lib/types"

const COLORS = { treated: "#3b82f6", holdout: "#a1a1aa", band: "#93c5fd", profit: "#2563eb", spend: "#f59e0b", budget: "#ef4444", funnel: ["#6366f1", "#3b82f6", "#0ea5e9", "#10b981"] }
const AXIS = { fontSize: 11, fill: "#71717a" }

export function ChartCard({ title, description, children, testId }: { title: string; description?: string; children: ReactNode; testId?: string }) {
  return (
    <div className="flex flex-col gap-y-2 rounded-lg border border-ui-border-base bg-ui-bg-base p-4" data-testid={testId}>
      <div>
        <Text size="small" weight="plus">
          {title}
        </Text>
        {description && (
          <Text size="xsmall" className="text-ui-fg-muted">
            {description}
          </Text>
        )}
      </div>
      <div className="h-56 w-full">{children}</div>
    </div>
  )
}

function NoSeries({ text = "No decisions in this window yet" }: { text?: string }) {
  return (
    <div className="flex h-full items-center justify-center">
      <Text size="small" className="text-ui-fg-muted">
        {text}
      </Text>
    </div>
  )
}

/** Incremental profit per customer, per decision day, with its 95% confidence band (a range area behind the line). */
export function IncrementalProfitChart({ report, currency }: { report: PolicyReport; currency?: string | null }) {
  if (!report.daily.length) return <NoSeries />
  const data = incrementalProfitPerCustomerSeries({ daily: chartPeriods(report).points })
  return (
    <ResponsiveContainer width="100%" height="100%">
      <ComposedChart data={data} margin={{ top: 8, right: 12, left: 0, bottom: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e4e4e7" />
        <XAxis dataKey="date" tick={AXIS} />
        <YAxis tick={AXIS} width={56} tickFormatter={(v: number) => num(v, 1)} />
        <Tooltip
          formatter={(value, name) =>
            Array.isArray(value) ? [`${money(Number(value[0]), currency)} to ${money(Number(value[1]), currency)}`, "95% interval"] : [money(Number(value), currency), String(name)]
          }
        />
        <ReferenceLine y={0} stroke="#a1a1aa" />
        <Area type="monotone" dataKey="band" name="95% interval" stroke="none" fill={COLORS.band} fillOpacity={0.35} isAnimationActive={false} />
        <Line type="monotone" dataKey="value" name="Incremental profit per customer" stroke={COLORS.profit} strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false}>
          <ErrorBar dataKey="error" width={6} stroke={COLORS.band} strokeWidth={1.5} direction="y" />
        </Line>
      </ComposedChart>
    </ResponsiveContainer>
  )
}

/** Conversion of treated and holdout customers, per decision day. */
export function ConversionChart({ report }: { report: PolicyReport }) {
  if (!report.daily.length) return <NoSeries />
  const data = chartPeriods(report).points.map((day) => ({ date: day.date.slice(5), treated: day.treated_conversion_rate, holdout: day.holdout_conversion_rate }))
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={data} margin={{ top: 8, right: 12, left: 0, bottom: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e4e4e7" />
        <XAxis dataKey="date" tick={AXIS} />
        <YAxis tick={AXIS} width={44} tickFormatter={(v: number) => rate(v, 0)} />
        <Tooltip formatter={(value, name) => [rate(Number(value)), String(name)]} />
        <Legend wrapperStyle={{ fontSize: 11 }} />
        <Line type="monotone" dataKey="treated" name="Treated" stroke={COLORS.treated} strokeWidth={2} dot={{ r: 2 }} isAnimationActive={false} />
        <Line type="monotone" dataKey="holdout" name="Holdout" stroke={COLORS.holdout} strokeWidth={2} strokeDasharray="4 3" dot={{ r: 2 }} isAnimationActive={false} />
      </LineChart>
    </ResponsiveContainer>
  )
}

/** Discount cost by decision day, its running total, and the budget line. */
export function SpendChart({ report, currency }: { report: PolicyReport; currency?: string | null }) {
  if (!report.daily.length && !report.budget) return <NoSeries text="No discount spend yet and no budget set" />
  let total = 0
  const data = chartPeriods(report).points.map((day) => {
    total += day.discount_cost
    return { date: day.date.slice(5), cost: day.discount_cost, total }
  })
  if (!data.length) data.push({ date: "today", cost: 0, total: report.budget?.spent ?? 0 })
  return (
    <ResponsiveContainer width="100%" height="100%">
      <ComposedChart data={data} margin={{ top: 8, right: 12, left: 0, bottom: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e4e4e7" />
        <XAxis dataKey="date" tick={AXIS} />
        <YAxis tick={AXIS} width={56} tickFormatter={(v: number) => num(v, 0)} domain={[0, (max: number) => Math.max(max, report.budget?.amount ?? 0) * 1.1]} />
        <Tooltip formatter={(value, name) => [money(Number(value), currency), String(name)]} />
        <Legend wrapperStyle={{ fontSize: 11 }} />
        <Bar dataKey="cost" name="Discount cost" fill={COLORS.spend} isAnimationActive={false} />
        <Line type="monotone" dataKey="total" name="Running total" stroke="#b45309" strokeWidth={2} dot={false} isAnimationActive={false} />
        {report.budget && (
          <ReferenceLine
            y={report.budget.amount}
            stroke={COLORS.budget}
            strokeDasharray="5 4"
            label={{ value: `Budget / ${report.budget.period}`, position: "insideTopRight", fontSize: 11, fill: COLORS.budget }}
          />
        )}
      </ComposedChart>
    </ResponsiveContainer>
  )
}

/** Decisions -> offers issued -> offers on carts -> redeemed. */
export function FunnelChart({ report }: { report: PolicyReport }) {
  const f = report.funnel
  const data = [
    { stage: "Decisions", value: f.decisions },
    { stage: "Offers issued", value: f.offers_issued },
    { stage: "On a cart", value: f.offers_on_carts },
    { stage: "Redeemed", value: f.offers_redeemed },
  ]
  if (!f.decisions && !f.offers_issued) return <NoSeries text="No decisions yet" />
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} layout="vertical" margin={{ top: 8, right: 40, left: 8, bottom: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e4e4e7" horizontal={false} />
        <XAxis type="number" tick={AXIS} allowDecimals={false} />
        <YAxis type="category" dataKey="stage" tick={AXIS} width={90} />
        <Tooltip formatter={(value) => [num(Number(value), 0), "Count"]} />
        <Bar dataKey="value" isAnimationActive={false}>
          {data.map((_, index) => (
            <Cell key={index} fill={COLORS.funnel[index]} />
          ))}
          <LabelList dataKey="value" position="right" style={{ fontSize: 11, fill: "#3f3f46" }} />
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  )
}
