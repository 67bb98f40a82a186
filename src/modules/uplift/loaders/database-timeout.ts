import { LoaderOptions } from "@medusajs/framework/types"
import { parseUpliftOptions } from "../../../lib/options"

interface KnexLike {
  client?: { config?: { acquireConnectionTimeout?: number }; pool?: { acquireTimeoutMillis?: number } }
}

/**
 * With the option `databaseTimeoutMs`, a request waits at most that long for a database connection. Medusa
 * 2.21 builds its shared pool with knex's 60 s acquire timeout and offers no setting for it, so while
 * Postgres is down every request hangs for a minute; this shortens the wait on that shared pool (tarn reads
 * the value at each acquire). Without the option nothing changes.
 */
export default async function databaseTimeoutLoader({ container, options, logger }: LoaderOptions): Promise<void> {
  const { databaseTimeoutMs } = parseUpliftOptions(options)
  if (!databaseTimeoutMs || !container.hasRegistration("__pg_connection__")) return
  const knex = container.resolve<KnexLike>("__pg_connection__")
  if (!knex.client?.pool || !knex.client.config) {
    logger?.warn("medusa-uplift: databaseTimeoutMs is set but the database pool is not a knex pool; left as it is")
    return
  }
  knex.client.config.acquireConnectionTimeout = databaseTimeoutMs
  knex.client.pool.acquireTimeoutMillis = databaseTimeoutMs
}
