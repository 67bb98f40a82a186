import { Badge, StatusBadge } from "@medusajs/ui"
import type { FraudAssessment, FraudHold, ModelVersion, PolicyStatus, RiskFact, Sentiment } from "../lib/types"
import { humanize } from "../lib/format"
import { FraudThresholds, ScoreBand, scoreBand, useFraudThresholds } from "../lib/fraud-thresholds"

type Color = "green" | "red" | "orange" | "blue" | "purple" | "grey"

const POLICY_COLORS: Record<PolicyStatus, Color> = { active: "green", shadow: "purple", paused: "orange", draft: "grey" }
export function PolicyStatusBadge({ status }: { status: PolicyStatus }) {
  return <StatusBadge color={POLICY_COLORS[status] ?? "grey"}>{humanize(status)}</StatusBadge>
}

const HOLD_COLORS: Record<FraudHold["status"], Color> = { open: "orange", released: "green", rejected: "red" }
const HOLD_LABELS: Record<FraudHold["status"], string> = { open: "On hold", released: "Released", rejected: "Rejected" }
export function HoldStatusBadge({ status }: { status: FraudHold["status"] }) {
  return (
    <StatusBadge color={HOLD_COLORS[status] ?? "grey"} data-testid="hold-status">
      {HOLD_LABELS[status] ?? humanize(status)}
    </StatusBadge>
  )
}

const DECISION_COLORS: Record<FraudAssessment["decision"], "green" | "orange" | "red"> = { allow: "green", hold: "orange", block: "red" }
export function DecisionBadge({ decision }: { decision: FraudAssessment["decision"] }) {
  return (
    <Badge size="2xsmall" color={DECISION_COLORS[decision] ?? "grey"}>
      {humanize(decision)}
    </Badge>
  )
}

/**
 * A 0-100 risk score coloured by the store's own thresholds: red from the block score, orange from the
 * hold score, green below (grey while the thresholds load).
 */
export function ScoreBadge({ score }: { score: number | null | undefined }) {
  const thresholds = useFraudThresholds()
  if (score === null || score === undefined) return <Badge size="2xsmall">No score</Badge>
  const band = thresholds ? scoreBand(score, thresholds) : null
  return (
    <Badge size="2xsmall" color={band ? SCORE_COLORS[band] : "grey"} data-testid="risk-score" data-band={band ?? undefined} title={thresholds ? thresholdText(thresholds) : undefined}>
      {score}/100
    </Badge>
  )
}

const SCORE_COLORS: Record<ScoreBand, "green" | "orange" | "red"> = { below_hold: "green", hold: "orange", block: "red" }

function thresholdText({ hold_score, block_score }: FraudThresholds): string {
  return `This store holds from ${hold_score ?? "-"}${block_score === null ? " and blocks on no score" : ` and blocks from ${block_score}`}`
}

const MODEL_COLORS: Record<ModelVersion["status"], Color> = { active: "green", candidate: "blue", rejected: "red", retired: "grey" }
export function ModelStatusBadge({ status }: { status: ModelVersion["status"] }) {
  return <StatusBadge color={MODEL_COLORS[status] ?? "grey"}>{humanize(status)}</StatusBadge>
}

const FACT_STYLES: Record<Sentiment, { dot: string; text: string; label: string }> = {
  negative: { dot: "bg-ui-tag-red-icon", text: "text-ui-tag-red-text", label: "Against" },
  positive: { dot: "bg-ui-tag-green-icon", text: "text-ui-tag-green-text", label: "For" },
  neutral: { dot: "bg-ui-tag-neutral-icon", text: "text-ui-fg-subtle", label: "Note" },
}

/** Risk facts coloured by what they say about the order: red against, green for, grey neutral. */
export function FactList({ facts }: { facts: RiskFact[] | null | undefined }) {
  if (!facts?.length) return <span className="text-ui-fg-muted txt-small">No risk facts recorded</span>
  return (
    <ul className="flex flex-col gap-y-1.5" data-testid="risk-facts">
      {facts.map((fact, index) => {
        const style = FACT_STYLES[fact.sentiment] ?? FACT_STYLES.neutral
        return (
          <li key={`${fact.code}-${index}`} className="flex items-start gap-x-2" data-sentiment={fact.sentiment}>
            <span className={`mt-1.5 h-2 w-2 shrink-0 rounded-full ${style.dot}`} aria-label={style.label} />
            <span className={`txt-small ${style.text}`}>{fact.message}</span>
          </li>
        )
      })}
    </ul>
  )
}
