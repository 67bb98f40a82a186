import { spawnSync } from "child_process"
import * as fs from "fs"
import * as os from "os"
import * as path from "path"

/**
 * Runs one `scripts/bench/<name>.bench.ts` under jest (Medusa's integration runner boots the store with
 * real Postgres) and returns the JSON it wrote to BENCH_OUT.
 */
export function runJestBench<T = any>(name: string, env: NodeJS.ProcessEnv = {}): T {
  const out = path.join(os.tmpdir(), `bench-${name}-${process.pid}.json`)
  const root = path.resolve(__dirname, "../..")
  const run = spawnSync("npx", ["jest", "--runInBand", "--forceExit", "--silent", "--rootDir", root, "--testMatch", `**/scripts/bench/${name}.bench.ts`], {
    cwd: root,
    env: {
      ...process.env,
      ...env,
      BENCH_OUT: out,
      TEST_TYPE: "",
      DB_HOST: process.env.DB_HOST ?? "localhost",
      DB_USERNAME: process.env.DB_USERNAME ?? "postgres",
      DB_PASSWORD: process.env.DB_PASSWORD ?? "",
      NODE_OPTIONS: `--experimental-vm-modules ${process.env.NODE_OPTIONS ?? ""}`,
    },
    encoding: "utf8",
    // The store logs a line per event processed.
    maxBuffer: 512 * 1024 * 1024,
  })
  if (!fs.existsSync(out)) throw new Error(`${name} bench produced no result:\n${(run.stdout ?? "").slice(-3000)}\n${(run.stderr ?? "").slice(-3000)}`)
  const result = JSON.parse(fs.readFileSync(out, "utf8")) as T
  fs.unlinkSync(out)
  return result
}
