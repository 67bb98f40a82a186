import { defineRouteConfig } from "@medusajs/admin-sdk"
import { ChartBar, Microchip, ReceiptPercent, ShieldCheck, Sparkles } from "@medusajs/icons"
import { Container, Heading, Text } from "@medusajs/ui"
import { useQuery } from "@tanstack/react-query"
import { Link } from "react-router-dom"
import { KeyValue, PageHeader, QueryState } from "../../components/states"
import { apiGet } from "../../lib/client"
import { humanize, num } from "../../lib/format"
import type { PluginStatus, ServingModel } from "../../lib/types"

const MODEL_LABELS: Record<ServingModel["model"], string> = { fraud: "Fraud risk", propensity: "Propensity", response: "Response", recommendations: "Recommendations" }

const PAGES = [
  { to: "/uplift/policies", title: "Discount policies", text: "Who gets a personal discount, which levels, what it may cost; and what it earned against the holdout.", icon: ReceiptPercent },
  { to: "/uplift/fraud", title: "Fraud review", text: "Orders held before capture: score, risk facts, release or reject.", icon: ShieldCheck },
  { to: "/uplift/fraud-rules", title: "Fraud rules", text: "Your own allow, hold and block rules on checkout signals.", icon: ChartBar },
  { to: "/uplift/models", title: "Models", text: "Trained versions with metrics, activation and rollback, training on demand.", icon: Microchip },
]

const UpliftPage = () => {
  const status = useQuery({
    queryKey: ["uplift", "status"],
    queryFn: () => apiGet<{ uplift: PluginStatus }>("/admin/uplift/status"),
  })
  return (
    <div className="flex flex-col gap-y-3">
      <Container className="p-0">
        <PageHeader title="Uplift" description="Personal discounts that pay for themselves, and fraud holds before capture." />
      </Container>
      <div className="grid grid-cols-1 gap-3 md:grid-cols-2">
        {PAGES.map((page) => (
          <Link key={page.to} to={page.to} className="outline-none">
            <Container className="flex h-full items-start gap-x-3 transition-colors hover:bg-ui-bg-base-hover">
              <page.icon className="text-ui-fg-subtle mt-0.5" />
              <div>
                <Heading level="h2">{page.title}</Heading>
                <Text size="small" className="text-ui-fg-subtle mt-1">
                  {page.text}
                </Text>
              </div>
            </Container>
          </Link>
        ))}
      </div>
      <Container className="divide-y p-0">
        <div className="px-6 py-4">
          <Heading level="h2">Plugin status</Heading>
        </div>
        <QueryState query={status} what="Plugin status">
          {({ uplift }) => (
            <div className="divide-y" data-testid="plugin-status">
              <KeyValue label="Queue">{`${humanize(uplift.queue_mode)} (prefix ${uplift.queue_prefix})`}</KeyValue>
              <KeyValue label="Worker mode">{humanize(uplift.worker_mode)}</KeyValue>
              <KeyValue label="Interactions">{num(uplift.interactions, 0)}</KeyValue>
              <KeyValue label="Customer profiles">{num(uplift.customer_profiles, 0)}</KeyValue>
              <KeyValue label="Execution providers (configured, in order of preference)">{uplift.execution_providers.join(", ")}</KeyValue>
              {uplift.models.map((model) => (
                <KeyValue key={model.model} label={`${MODEL_LABELS[model.model]} model`}>
                  <span data-testid={`serving-${model.model}`}>{model.version ? `${model.version}: ${model.runs_on}` : humanize(model.runs_on)}</span>
                </KeyValue>
              ))}
            </div>
          )}
        </QueryState>
      </Container>
    </div>
  )
}

export const config = defineRouteConfig({ label: "Uplift", icon: Sparkles })

export default UpliftPage
