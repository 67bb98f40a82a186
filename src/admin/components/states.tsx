import { ExclamationCircle, Spinner } from "@medusajs/icons"
import { Button, Container, Heading, Text } from "@medusajs/ui"
import type { ReactNode } from "react"
import { isUnavailable, messageOf } from "../lib/client"

/** Loading, empty and error states, the same on every page and widget. */

export function LoadingState({ label = "Loading..." }: { label?: string }) {
  return (
    <div className="flex items-center gap-x-2 px-6 py-8 text-ui-fg-subtle" role="status" aria-live="polite" data-testid="loading-state">
      <Spinner className="animate-spin" />
      <Text size="small">{label}</Text>
    </div>
  )
}

export function EmptyState({ title, description, action }: { title: string; description?: ReactNode; action?: ReactNode }) {
  return (
    <div className="flex flex-col items-center gap-y-2 px-6 py-10 text-center" data-testid="empty-state">
      <Text size="small" weight="plus" leading="compact">
        {title}
      </Text>
      {description && (
        <Text size="small" className="text-ui-fg-muted max-w-md">
          {description}
        </Text>
      )}
      {action}
    </div>
  )
}

/**
 * An error, or "not available" when the route answers 404 (a feature this store does not run, e.g. a plugin
 * part that is not installed yet).
 */
export function ErrorState({ error, what, onRetry }: { error: unknown; what: string; onRetry?: () => void }) {
  if (isUnavailable(error)) {
    return <EmptyState title={`${what} is not available`} description="This store does not expose this part of the Uplift plugin (its admin route answered 404)." />
  }
  return (
    <div className="flex items-start gap-x-3 px-6 py-6" role="alert" data-testid="error-state">
      <ExclamationCircle className="text-ui-fg-error mt-0.5 shrink-0" />
      <div className="flex flex-col gap-y-2">
        <Text size="small" weight="plus">
          Could not load {what.toLowerCase()}
        </Text>
        <Text size="small" className="text-ui-fg-subtle break-all">
          {messageOf(error)}
        </Text>
        {onRetry && (
          <div>
            <Button size="small" variant="secondary" onClick={onRetry}>
              Try again
            </Button>
          </div>
        )}
      </div>
    </div>
  )
}

/** Renders loading / error / empty, or the content. */
export function QueryState<T>({
  query,
  what,
  isEmpty,
  empty,
  children,
}: {
  query: { isLoading: boolean; error: unknown; data: T | undefined; refetch: () => unknown }
  what: string
  isEmpty?: (data: T) => boolean
  empty?: ReactNode
  children: (data: T) => ReactNode
}) {
  if (query.isLoading) return <LoadingState />
  if (query.error) return <ErrorState error={query.error} what={what} onRetry={() => query.refetch()} />
  if (query.data === undefined) return <LoadingState />
  if (isEmpty?.(query.data)) return <>{empty ?? <EmptyState title={`No ${what.toLowerCase()} yet`} />}</>
  return <>{children(query.data)}</>
}

export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="flex items-center justify-between gap-x-4 px-6 py-4">
      <div>
        <Heading level="h1">{title}</Heading>
        {description && (
          <Text size="small" className="text-ui-fg-subtle mt-1">
            {description}
          </Text>
        )}
      </div>
      {actions && <div className="flex items-center gap-x-2">{actions}</div>}
    </div>
  )
}

export function Section({ title, actions, children, testId }: { title: string; actions?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <Container className="divide-y p-0" data-testid={testId}>
      <div className="flex items-center justify-between px-6 py-4">
        <Heading level="h2">{title}</Heading>
        {actions}
      </div>
      {children}
    </Container>
  )
}

export function KeyValue({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-2 items-start gap-x-4 px-6 py-3">
      <Text size="small" weight="plus" leading="compact" className="text-ui-fg-subtle">
        {label}
      </Text>
      <div className="text-ui-fg-base txt-small break-words">{children}</div>
    </div>
  )
}
