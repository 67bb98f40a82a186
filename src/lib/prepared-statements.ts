import { createHash } from "crypto"
import type { Knex } from "knex"

type Statement = { toSQL(): { toNative(): { sql: string; bindings: readonly unknown[] } } }
type PgConnection = { query(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: any[] }> }
type ConnectionClient = { acquireConnection(): Promise<PgConnection>; releaseConnection(connection: PgConnection): Promise<unknown> }

/**
 * Runs a statement built on `db` (a knex instance or transaction) as a named prepared statement on the
 * connection it runs on, so Postgres parses it once per connection and, once it settles on a generic plan,
 * stops planning it: on the small statements of the cart request's decision, parsing and planning are a large
 * share of their time. The name comes from the statement's text, so a text is prepared once per connection.
 * Opt-in (UPLIFT_PREPARED_STATEMENTS=on): with it, the 50-parallel-checkouts budget test of
 * integration-tests/http/discounts.spec.ts timed out twice at load 10-19, passed with it off at load 5-11
 * and with it on at load 2; until that is settled, off by default. Never with a pooler in transaction mode (PgBouncer before 1.21): it cannot keep them.
 */
export async function preparedQuery<Row = any>(db: Knex, statement: Statement): Promise<Row[]> {
  const { sql: text, bindings } = statement.toSQL().toNative()
  const values = [...bindings]
  const query = process.env.UPLIFT_PREPARED_STATEMENTS === "on" ? { name: statementName(text), text, values } : { text, values }
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
