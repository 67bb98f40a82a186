import { defineRouteConfig } from "@medusajs/admin-sdk"
import { ArrowPath } from "@medusajs/icons"
import { Badge, Button, Container, Heading, Select, Table, Text, toast, usePrompt } from "@medusajs/ui"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { useEffect, useState } from "react"
import { ModelStatusBadge } from "../../../components/badges"
import { EmptyState, ErrorState, PageHeader, QueryState } from "../../../components/states"
import { apiGet, apiPost, messageOf } from "../../../lib/client"
import { bytes, date, dateTime, humanize, num } from "../../../lib/format"
import type { ModelKind, ModelVersion, TrainingRun } from "../../../lib/types"

const KINDS: { kind: ModelKind; title: string; text: string; untrained: string }[] = [
  {
    kind: "propensity",
    title: "Propensity (next purchase)",
    text: "Who is likely to buy what: every customer's likeliest next purchases, scored in batch (shown on the customer page).",
    untrained: "Train now, or wait for the nightly schedule. It needs purchase history.",
  },
  {
    kind: "response",
    title: "Response (discount uplift)",
    text: "How much a discount level changes the chance to buy, learned from the decision log.",
    untrained:
      "It learns from shoppers who were offered a discount (or held out) and then bought, or did not within the attribution window: a new store has none yet. Until then policies decide from their ladder and exploration; the nightly schedule trains it once 20 such shoppers, buyers and non-buyers, exist.",
  },
  {
    kind: "recommender",
    title: "Recommender (storefront)",
    text: "What the storefront recommends, with bought-together partners and regional best sellers. Activating an older version rolls the storefront back.",
    untrained: "Train now, or wait for the nightly schedule. Until then the storefront shows popular products.",
  },
  { kind: "fraud", title: "Fraud risk", text: "Checkout risk score from signals, trained on chargebacks and review outcomes.", untrained: "Train now, or wait for the nightly schedule." },
]

const RUNNING = new Set(["queued", "running"])

function metricText(value: unknown): string {
  return typeof value === "number" ? num(value, 4) : typeof value === "string" ? value : JSON.stringify(value)
}

function Metrics({ model }: { model: ModelVersion }) {
  const entries = Object.entries(model.metrics ?? {}).filter(([key, value]) => key !== model.selection_metric && (typeof value === "number" || typeof value === "string") && !key.startsWith("chosen_") && !(model.learner && key === "learner"))
  return (
    <div className="flex flex-col">
      {model.learner && (
        <span className="txt-compact-small" data-testid="model-learner">
          Learner <span className="txt-compact-small-plus">{model.learner}</span>
        </span>
      )}
      {model.selection_metric && (
        <span className="txt-compact-small-plus">
          {model.selection_metric} {metricText(model.selection_value)} <span className="text-ui-fg-muted">({model.higher_is_better ? "higher" : "lower"} is better)</span>
        </span>
      )}
      {entries.length > 0 && (
        <span className="txt-compact-xsmall text-ui-fg-subtle">
          {entries
            .slice(0, 4)
            .map(([key, value]) => `${key} ${metricText(value)}`)
            .join(" · ")}
        </span>
      )}
    </div>
  )
}

function logLines(run: TrainingRun): string[] {
  if (Array.isArray(run.log)) return run.log
  if (typeof run.log === "string") {
    try {
      const parsed = JSON.parse(run.log)
      return Array.isArray(parsed) ? parsed : [run.log]
    } catch {
      return [run.log]
    }
  }
  return []
}

/** Live progress of one training run, polled every second until it finishes. */
function TrainingProgress({ runId, onFinished }: { runId: string; onFinished: (run: TrainingRun) => void }) {
  const query = useQuery({
    queryKey: ["uplift", "ml", "training-run", runId],
    queryFn: () => apiGet<{ training_run: TrainingRun }>(`/admin/ml/training-runs/${runId}`).then((r) => r.training_run),
    refetchInterval: (q) => (q.state.data && !RUNNING.has(q.state.data.status) ? false : 1000),
  })
  const run = query.data
  useEffect(() => {
    if (run && !RUNNING.has(run.status)) onFinished(run)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [run?.status])
  if (query.error) return <ErrorState error={query.error} what="Training run" />
  if (!run) return null
  const percent = Math.max(0, Math.min(100, Math.round(run.percent ?? 0)))
  const lines = logLines(run).slice(-8)
  return (
    <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="training-progress">
      <div className="flex items-center justify-between">
        <Text size="small" weight="plus">
          Training {run.model}: {humanize(run.stage)}
        </Text>
        <Badge size="2xsmall" color={run.status === "failed" ? "red" : run.status === "completed" ? "green" : "blue"}>
          {humanize(run.status)}
          {run.outcome ? ` · ${humanize(run.outcome)}` : ""}
        </Badge>
      </div>
      <div className="h-2 w-full overflow-hidden rounded-full bg-ui-bg-component" role="progressbar" aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100}>
        <div className={`h-full transition-all ${run.status === "failed" ? "bg-ui-tag-red-icon" : "bg-ui-fg-interactive"}`} style={{ width: `${percent}%` }} />
      </div>
      <Text size="xsmall" className="text-ui-fg-muted">
        {percent}%{run.error ? ` · ${run.error}` : ""}
      </Text>
      {lines.length > 0 && (
        <pre className="txt-compact-xsmall max-h-40 overflow-auto rounded-md bg-ui-bg-subtle p-3 font-mono text-ui-fg-subtle">{lines.join("\n")}</pre>
      )}
    </div>
  )
}

function ModelTable({ kind, models }: { kind: (typeof KINDS)[number]; models: ModelVersion[] }) {
  const queryClient = useQueryClient()
  const prompt = usePrompt()
  const active = models.find((m) => m.status === "active")
  const activate = useMutation({
    mutationFn: (model: ModelVersion) => apiPost<{ model: ModelVersion }>(`/admin/ml/models/${model.id}/activate`),
    onSuccess: ({ model }) => {
      toast.success(`${humanize(model.kind)} ${model.version} is active; deciding processes switch within seconds`)
      return queryClient.invalidateQueries({ queryKey: ["uplift", "ml"] })
    },
    onError: (error) => toast.error(messageOf(error)),
  })
  const confirm = async (model: ModelVersion) => {
    const rollback = active && new Date(model.created_at) < new Date(active.created_at)
    const ok = await prompt({
      title: rollback ? `Roll back to ${model.version}?` : `Activate ${model.version}?`,
      description: `${humanize(model.kind)} decisions will use ${model.version}${active ? ` instead of ${active.version}` : ""}.`,
      confirmText: rollback ? "Roll back" : "Activate",
      cancelText: "Cancel",
    })
    if (ok) activate.mutate(model)
  }
  return (
    <div className="flex flex-col" data-testid={`models-${kind.kind}`}>
      <div className="px-6 pt-4 pb-2">
        <Heading level="h2">{kind.title}</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          {kind.text}
        </Text>
      </div>
      {models.length === 0 ? (
        <EmptyState title="No trained versions yet" description={kind.untrained} />
      ) : (
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Version</Table.HeaderCell>
              <Table.HeaderCell>Status</Table.HeaderCell>
              <Table.HeaderCell>Validation</Table.HeaderCell>
              <Table.HeaderCell>Data span</Table.HeaderCell>
              <Table.HeaderCell>Provider</Table.HeaderCell>
              <Table.HeaderCell>Size</Table.HeaderCell>
              <Table.HeaderCell>Trained</Table.HeaderCell>
              <Table.HeaderCell />
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {models.map((model) => (
              <Table.Row key={model.id} data-testid={model.shipped ? "shipped-model" : undefined}>
                <Table.Cell className="txt-compact-small-plus">{model.version}</Table.Cell>
                <Table.Cell>
                  <div className="flex flex-col">
                    <ModelStatusBadge status={model.status} />
                    {model.note && (
                      <span className={`txt-compact-xsmall text-ui-fg-muted ${model.shipped ? "max-w-[20rem] whitespace-normal" : "max-w-[14rem] truncate"}`} title={model.note}>
                        {model.note}
                      </span>
                    )}
                  </div>
                </Table.Cell>
                <Table.Cell>
                  <Metrics model={model} />
                </Table.Cell>
                <Table.Cell>
                  {model.data_from || model.data_to ? `${date(model.data_from)} - ${date(model.data_to)}` : "-"}
                </Table.Cell>
                <Table.Cell>{model.execution_provider ?? "-"}</Table.Cell>
                <Table.Cell>{bytes(model.size_bytes)}</Table.Cell>
                <Table.Cell>{dateTime(model.created_at)}</Table.Cell>
                <Table.Cell>
                  {model.status !== "active" && !model.shipped && (
                    <Button size="small" variant="secondary" onClick={() => confirm(model)} isLoading={activate.isPending && activate.variables?.id === model.id}>
                      {active && new Date(model.created_at) < new Date(active.created_at) ? "Roll back" : "Activate"}
                    </Button>
                  )}
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
    </div>
  )
}

const ModelsPage = () => {
  const [kind, setKind] = useState<ModelKind>("propensity")
  const [runId, setRunId] = useState<string | null>(null)
  const queryClient = useQueryClient()
  const models = useQuery({
    queryKey: ["uplift", "ml", "models"],
    queryFn: () => apiGet<{ models: ModelVersion[]; count: number }>("/admin/ml/models", { limit: 200 }),
  })
  const runs = useQuery({
    queryKey: ["uplift", "ml", "training-runs"],
    queryFn: () => apiGet<{ training_runs: TrainingRun[] }>("/admin/ml/training-runs"),
  })
  useEffect(() => {
    const inFlight = runs.data?.training_runs.find((run) => RUNNING.has(run.status))
    if (inFlight && !runId) setRunId(inFlight.id)
  }, [runs.data, runId])
  const train = useMutation({
    mutationFn: () => apiPost<{ training_run: TrainingRun }>("/admin/ml/training-runs", { model: kind }),
    onSuccess: ({ training_run }) => {
      setRunId(training_run.id)
      toast.info(`Training ${kind} queued`)
    },
    onError: (error) => toast.error(messageOf(error)),
  })
  const finished = (run: TrainingRun) => {
    if (run.status === "completed") toast.success(`Training ${run.model} finished: ${run.error ?? humanize(run.outcome ?? "done")}`)
    else toast.error(`Training ${run.model} failed${run.error ? `: ${run.error}` : ""}`)
    void queryClient.invalidateQueries({ queryKey: ["uplift", "ml", "models"] })
    void queryClient.invalidateQueries({ queryKey: ["uplift", "ml", "training-runs"] })
  }
  return (
    <div className="flex flex-col gap-y-3">
      <Container className="divide-y p-0">
        <PageHeader
          title="Models"
          description="Versions trained from this store's history. A new version goes live only if it validates at least as well as the active one."
          actions={
            <>
              <Select size="small" value={kind} onValueChange={(value) => setKind(value as ModelKind)}>
                <Select.Trigger className="w-36" aria-label="Model to train">
                  <Select.Value />
                </Select.Trigger>
                <Select.Content>
                  {KINDS.map((k) => (
                    <Select.Item key={k.kind} value={k.kind}>
                      {humanize(k.kind)}
                    </Select.Item>
                  ))}
                </Select.Content>
              </Select>
              <Button size="small" variant="secondary" onClick={() => train.mutate()} isLoading={train.isPending} data-testid="train-now">
                <ArrowPath /> Train now
              </Button>
            </>
          }
        />
        {runId && <TrainingProgress key={runId} runId={runId} onFinished={finished} />}
      </Container>
      <Container className="divide-y p-0">
        <QueryState query={models} what="Models">
          {(data) => (
            <div className="divide-y">
              {KINDS.map((k) => (
                <ModelTable key={k.kind} kind={k} models={data.models.filter((m) => m.kind === k.kind)} />
              ))}
            </div>
          )}
        </QueryState>
      </Container>
      <Container className="divide-y p-0">
        <div className="px-6 py-4">
          <Heading level="h2">Recent training runs</Heading>
        </div>
        <QueryState query={runs} what="Training runs" isEmpty={(data) => data.training_runs.length === 0} empty={<EmptyState title="No training runs yet" />}>
          {(data) => (
            <Table data-testid="training-runs">
              <Table.Header>
                <Table.Row>
                  <Table.HeaderCell>Model</Table.HeaderCell>
                  <Table.HeaderCell>Status</Table.HeaderCell>
                  <Table.HeaderCell>Outcome</Table.HeaderCell>
                  <Table.HeaderCell>Trigger</Table.HeaderCell>
                  <Table.HeaderCell>Started</Table.HeaderCell>
                  <Table.HeaderCell>Finished</Table.HeaderCell>
                </Table.Row>
              </Table.Header>
              <Table.Body>
                {data.training_runs.slice(0, 10).map((run) => (
                  <Table.Row key={run.id} className="cursor-pointer" onClick={() => setRunId(run.id)}>
                    <Table.Cell>{humanize(run.model)}</Table.Cell>
                    <Table.Cell>{humanize(run.status)}</Table.Cell>
                    <Table.Cell className="max-w-xs truncate" title={run.error ?? run.outcome ?? ""}>
                      {run.error ?? run.outcome ?? "-"}
                    </Table.Cell>
                    <Table.Cell>{humanize(run.trigger ?? "api")}</Table.Cell>
                    <Table.Cell>{dateTime(run.started_at ?? run.created_at)}</Table.Cell>
                    <Table.Cell>{dateTime(run.finished_at)}</Table.Cell>
                  </Table.Row>
                ))}
              </Table.Body>
            </Table>
          )}
        </QueryState>
      </Container>
    </div>
  )
}

export const config = defineRouteConfig({ label: "Models", rank: 4 })

export default ModelsPage
