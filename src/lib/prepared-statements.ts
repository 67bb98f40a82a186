import { createHash } from "crypto"
import type { Knex } from "knex"

type Statement = { toSQL(): { toNative(): { sql: string; bindings: readonly unknown[] } } }
type PgConnection = {
  query(config: { name?: string; text: string; values?: unknown[] } | string): Promise<{ rows: any[] }>
}
type ConnectionClient = {
  acquireConnection(): Promise<PgConnection>
  releaseConnection(connection: PgConnection): Promise<unknown>
  /** The connection pool (shared by a knex instance and its transactions): where a pooler's refusal is kept. */
  pool?: { upliftPreparedUnsupported?: boolean } | null
}

/** Postgres error codes of a prepared statement the server no longer (or already) has: a pooler between us. */
const LOST_STATEMENT_CODES = new Set(["26000", "42P05"])

/**
 * Runs a statement built on `db` (a knex instance or transaction) as a named prepared statement on the
 * connection it runs on, so Postgres parses it once per connection and, after its first five executions there,
 * plans it once (a generic plan, where that costs no more than planning each time): on the small statements of
 * the cart request's decision, parsing and planning are a large share of their time. The session's planning
 * settings are left alone: the pool is the app's, and a setting such as `plan_cache_mode = force_generic_plan`
 * would plan every parameterized statement of Medusa's on that connection generically too, unnamed ones included.
 * The name comes from the statement's text, so a text is prepared once per connection. On by default;
 * UPLIFT_PREPARED_STATEMENTS=off runs them as plain statements. Behind a pooler that does not keep prepared
 * statements (PgBouncer in transaction mode before 1.21), the first statement that finds its preparation gone is
 * run again plain (outside a transaction; inside one, the transaction fails once) and that connection pool stops
 * preparing.
 */
export async function preparedQuery<Row = any>(db: Knex, statement: Statement): Promise<Row[]> {
  const { sql: text, bindings } = statement.toSQL().toNative()
  return runPrepared(db, { name: statementName(text), text }, [...bindings])
}

/**
 * A fixed SQL text (placeholders $1, $2, ...) run as preparedQuery runs a built one: for a statement on every
 * cart update, where building it with knex each time costs more CPU than Postgres spends on it.
 */
export function preparedStatement<Row = any>(text: string): (db: Knex, values: unknown[]) => Promise<Row[]> {
  const prepared = { name: statementName(text), text }
  return (db, values) => runPrepared(db, prepared, values)
}

async function runPrepared(db: Knex, { name, text }: { name: string; text: string }, values: unknown[]): Promise<any[]> {
  const pool = (db.client as ConnectionClient).pool
  if (process.env.UPLIFT_PREPARED_STATEMENTS === "off" || pool?.upliftPreparedUnsupported) return run(db, { text, values })
  try {
    return await run(db, { name, text, values })
  } catch (error) {
    if (!LOST_STATEMENT_CODES.has((error as { code?: string }).code ?? "")) throw error
    if (pool) pool.upliftPreparedUnsupported = true
    if ((db as Knex.Transaction).isTransaction) throw error
    return run(db, { text, values })
  }
}

async function run(db: Knex, query: { name?: string; text: string; values: unknown[] }): Promise<any[]> {
  const client = db.client as ConnectionClient
  const connection = await client.acquireConnection()
  try {
    return (await connection.query(query)).rows
  } finally {
    await client.releaseConnection(connection)
  }
}

function statementName(text: string): string {
  return `uplift_${createHash("sha1").update(text).digest("hex").slice(0, 32)}`
}
