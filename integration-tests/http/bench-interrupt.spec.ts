import { ChildProcess, spawn } from "child_process"
import * as fs from "fs"
import * as os from "os"
import * as path from "path"
import { Client } from "pg"
import { dbUrl, dropDatabase, ROOT, sleep } from "../../scripts/lib/medusa-store"
import { procStat } from "../../scripts/lib/processes"

/**
 * A bench stopped by Ctrl-C (SIGINT) or `kill` (SIGTERM) undoes what a normal end undoes: the servers it started
 * in their own process group (which the terminal's signal does not reach) are stopped, and its throwaway
 * database is dropped unless BENCH_KEEP_DB=1. The run here is a script that does what the benches do through
 * scripts/lib/medusa-store (registers its database, starts a detached child), then is interrupted for real.
 */

jest.setTimeout(60_000)

const RUN = `
const { spawn } = require("child_process")
const { dropIfInterrupted, stopIfInterrupted } = require(${JSON.stringify(path.join(ROOT, "scripts/lib/medusa-store"))})
dropIfInterrupted(process.argv[2])
const child = spawn("sleep", ["300"], { detached: true, stdio: "ignore" })
stopIfInterrupted(child)
console.log(JSON.stringify({ childPid: child.pid }))
setInterval(() => undefined, 1_000)
`

interface Run {
  process: ChildProcess
  childPid: number
  exited: Promise<number | null>
}

const alive = (pid: number) => procStat(pid) !== undefined

async function databaseExists(postgres: Client, database: string): Promise<boolean> {
  const { rows } = await postgres.query("select 1 from pg_database where datname = $1", [database])
  return rows.length > 0
}

describe("a bench interrupted mid-run", () => {
  const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "uplift-interrupt-")), "run.js")
  const postgres = new Client({ connectionString: dbUrl("postgres") })
  const started: Run[] = []
  const databases: string[] = []

  beforeAll(async () => {
    fs.writeFileSync(script, RUN)
    await postgres.connect()
  })

  afterAll(async () => {
    for (const run of started) {
      if (alive(run.childPid)) process.kill(run.childPid, "SIGKILL")
      run.process.kill("SIGKILL")
    }
    for (const database of databases) await dropDatabase(postgres, database)
    await postgres.end()
  })

  /** Creates the run's database and starts the script, resolving once its detached child runs. */
  async function startRun(database: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
    databases.push(database)
    await dropDatabase(postgres, database)
    await postgres.query(`create database ${database}`)
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", script, database], {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: "", ...env },
      stdio: ["ignore", "pipe", "inherit"],
    })
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout!.once("data", (data) => resolve(String(data)))
      child.once("exit", (code) => reject(new Error(`the run exited with ${code} before it started its child`)))
    })
    const run = { process: child, childPid: JSON.parse(line).childPid as number, exited }
    started.push(run)
    return run
  }

  async function waitGone(pid: number): Promise<boolean> {
    for (let i = 0; i < 50 && alive(pid); i++) await sleep(100)
    return !alive(pid)
  }

  it("stops its detached child and drops its database on SIGINT, exiting as the signal would", async () => {
    const database = `uplift_bench_interrupt_int_${process.pid}`
    const run = await startRun(database)
    expect(alive(run.childPid)).toBe(true)
    expect(await databaseExists(postgres, database)).toBe(true)

    run.process.kill("SIGINT")

    expect(await run.exited).toBe(130)
    expect(await waitGone(run.childPid)).toBe(true)
    expect(await databaseExists(postgres, database)).toBe(false)
  })

  it("does the same on SIGTERM, but keeps the database with BENCH_KEEP_DB=1", async () => {
    const database = `uplift_bench_interrupt_term_${process.pid}`
    const run = await startRun(database, { BENCH_KEEP_DB: "1" })

    run.process.kill("SIGTERM")

    expect(await run.exited).toBe(143)
    expect(await waitGone(run.childPid)).toBe(true)
    expect(await databaseExists(postgres, database)).toBe(true)
  })
})
