import { LoaderOptions } from "@medusajs/framework/types"
import { asValue } from "@medusajs/framework/awilix"
import { parseUpliftOptions } from "../../../lib/options"
import { JobQueue } from "../queue/job-queue"
import { postgresOutbox } from "../queue/outbox"

export const UPLIFT_QUEUE_NAMES = { events: "uplift-events", training: "uplift-training" } as const

/**
 * Validates the plugin options (boot fails with a message naming the bad option) and creates the
 * plugin's queues. Workers are started later by the service, and only in worker or shared mode.
 */
export default async function queuesLoader(
  { container, options, logger, dataLoaderOnly }: LoaderOptions & { dataLoaderOnly?: boolean },
  moduleDeclaration?: { worker_mode?: string }
): Promise<void> {
  const upliftOptions = parseUpliftOptions(options)
  const workerMode = moduleDeclaration?.worker_mode ?? process.env.MEDUSA_WORKER_MODE ?? "shared"
  container.register({ upliftOptions: asValue(upliftOptions), upliftWorkerMode: asValue(workerMode) })
  if (dataLoaderOnly) {
    return
  }
  if (!upliftOptions.redisUrl) {
    logger?.warn(
      "medusa-uplift: no redisUrl configured, plugin jobs run in-process. Set REDIS_URL (or the plugin option redisUrl) in production."
    )
  }
  const queueLogger = {
    info: (message: string) => logger?.info(message),
    warn: (message: string) => logger?.warn(message),
    error: (message: string, error?: unknown) => logger?.error(message, error as Error),
  }
  const common = {
    redisUrl: upliftOptions.redisUrl,
    prefix: upliftOptions.queuePrefix,
    timeoutMs: upliftOptions.queueTimeoutMs,
    logger: queueLogger,
    outbox: postgresOutbox(() => container.resolve("__pg_connection__")),
  }
  container.register({
    upliftEventsQueue: asValue(
      new JobQueue({ ...common, queueName: UPLIFT_QUEUE_NAMES.events, concurrency: 8, attempts: 5 })
    ),
    upliftTrainingQueue: asValue(
      new JobQueue({ ...common, queueName: UPLIFT_QUEUE_NAMES.training, concurrency: 1, attempts: 3 })
    ),
  })
}
