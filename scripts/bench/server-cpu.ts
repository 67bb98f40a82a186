import * as fs from "fs"
import * as os from "os"
import * as path from "path"
import type { BenchResult } from "./types"
import { round } from "../lib/medusa-store"
import { median } from "../lib/stats"

/**
 * Add-to-cart time measured inside the store processes (./request-cpu-hook.js): the wall time and the CPU time
 * of each server from a request's arrival to its response, per cart. The bench's client-side medians also hold
 * the network and the client's own turns; these split a side's cost into the server's CPU and its waiting
 * (Postgres, other processes on the cores).
 */
export interface ServerCpuLog {
  env: NodeJS.ProcessEnv
  dir: string
}

interface Request {
  wallMs: number
  cpuMs: number
}

export function serverCpuLog(): ServerCpuLog {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "uplift-bench-request-cpu-"))
  const hook = path.join(__dirname, "request-cpu-hook.js")
  return { dir, env: { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${hook}`.trim(), UPLIFT_REQUEST_CPU_DIR: dir } }
}

/** Every logged add by cart id, in the order the servers answered them. */
function requestsByCart(log: ServerCpuLog): Map<string, Request[]> {
  const byCart = new Map<string, Request[]>()
  for (const file of fs.readdirSync(log.dir)) {
    for (const line of fs.readFileSync(path.join(log.dir, file), "utf8").split("\n")) {
      const [cartId, wallMs, cpuMs] = line.split(",")
      if (!cpuMs) continue
      const requests = byCart.get(cartId) ?? byCart.set(cartId, []).get(cartId)!
      requests.push({ wallMs: Number(wallMs), cpuMs: Number(cpuMs) })
    }
  }
  return byCart
}

export interface TimedCart {
  name: string
  cartId: string
  /** Its last adds that were timed. */
  adds: number
}

/**
 * Per side, the server's median wall and CPU ms of the timed adds of its carts (one per session), and the goals'
 * pairs as ratios of the server's CPU: [figure name, side, reference side].
 */
export function serverCpuResults(log: ServerCpuLog, carts: TimedCart[], label: string, pairs: [string, string, string][]): BenchResult[] {
  const byCart = requestsByCart(log)
  const timed = new Map<string, Request[]>()
  for (const { name, cartId, adds } of carts) {
    const requests = (byCart.get(cartId) ?? []).slice(-adds)
    if (requests.length < adds) throw new Error(`the servers logged ${requests.length} of the ${adds} timed adds of ${name}`)
    timed.set(name, [...(timed.get(name) ?? []), ...requests])
  }
  const cpu = (name: string) => median(timed.get(name)!.map((request) => request.cpuMs))
  const wall = (name: string) => median(timed.get(name)!.map((request) => request.wallMs))
  return [
    ...[...timed.keys()].flatMap((name) => [
      { benchmark: `cart_update_server_cpu_ms_${name}_${label}`, value: round(cpu(name), 1), unit: "ms" },
      { benchmark: `cart_update_server_wall_ms_${name}_${label}`, value: round(wall(name), 1), unit: "ms" },
    ]),
    ...pairs.map(([figure, side, reference]) => ({ benchmark: `${figure}_${label}`, value: round(cpu(side) / cpu(reference)), unit: "ratio of server CPU" })),
  ]
}
