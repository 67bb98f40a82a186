import * as fs from "fs"
import * as path from "path"

/**
 * Reads the CPU profiles of a cart-cpu run (BENCH_CPU_PROFILE=<dir>, scripts/bench/cart-cpu.ts) and compares
 * two sides, each as `<server>:<side>` (servers: with-plugin, without-plugin, baseline; sides as in the
 * section's figures, e.g. with_guest): sampled time per add, the part with a frame of this plugin's code on
 * the stack, and the packages and functions whose self time per add differs most. Sampled time is wall
 * time of the main thread while it was not idle, so on a loaded machine it runs above the CPU time.
 *
 * usage: ts-node --transpile-only scripts/bench/cpu-profile-split.ts <dir> with-plugin:with_guest without-plugin:without_guest
 */

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}

interface Profile {
  nodes: ProfileNode[]
  startTime: number
  samples: number[]
  timeDeltas: number[]
}

interface SideTimes {
  adds: number
  busy: number
  plugin: number
  byFunction: Map<string, number>
  byPackage: Map<string, number>
}

const ADDS_PER_WINDOW = Number(process.env.BENCH_CART_CPU_ADDS || 20)
const isPluginFrame = (url: string) => url.includes("/src/") && !url.includes("node_modules")
const packageOf = (url: string) => {
  const match = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)
  if (match) return match[1]
  if (isPluginFrame(url)) return "plugin src"
  return url.startsWith("node:") ? "node internals" : url || "(native/vm)"
}
const label = (node: ProfileNode) => `${node.callFrame.functionName || "(anonymous)"} ${node.callFrame.url.replace(/^.*node_modules\//, "").replace(/^.*\/src\//, "src/")}:${node.callFrame.lineNumber + 1}`

function sideTimes(dir: string, spec: string): SideTimes {
  const [server, side] = spec.split(":")
  const pids: number[] = JSON.parse(fs.readFileSync(path.join(dir, "servers.json"), "utf8"))[server]
  const spans: [string, string][] = JSON.parse(fs.readFileSync(path.join(dir, "windows.json"), "utf8"))[side]
  const times: SideTimes = { adds: spans.length * ADDS_PER_WINDOW, busy: 0, plugin: 0, byFunction: new Map(), byPackage: new Map() }
  const add = (map: Map<string, number>, key: string, ms: number) => map.set(key, (map.get(key) ?? 0) + ms)
  for (const pid of pids) {
    const file = path.join(dir, `${pid}.cpuprofile`)
    if (!fs.existsSync(file)) continue
    const profile: Profile = JSON.parse(fs.readFileSync(file, "utf8"))
    const byId = new Map(profile.nodes.map((node) => [node.id, node]))
    const parent = new Map<number, number>()
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
    let time = profile.startTime
    for (let i = 0; i < profile.samples.length; i++) {
      time += profile.timeDeltas[i]
      if (!spans.some(([from, to]) => time >= Number(from) && time <= Number(to))) continue
      const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000
      const leaf = byId.get(profile.samples[i])!
      if (leaf.callFrame.functionName === "(idle)") continue
      times.busy += ms
      add(times.byFunction, label(leaf), ms)
      add(times.byPackage, packageOf(leaf.callFrame.url), ms)
      for (let at: number | undefined = leaf.id; at !== undefined; at = parent.get(at)) {
        if (isPluginFrame(byId.get(at)!.callFrame.url)) {
          times.plugin += ms
          break
        }
      }
    }
  }
  return times
}

function compare(a: Map<string, number>, addsA: number, b: Map<string, number>, addsB: number, n: number): string {
  const keys = new Set([...a.keys(), ...b.keys()])
  return [...keys]
    .map((key) => ({ key, a: (a.get(key) ?? 0) / addsA, b: (b.get(key) ?? 0) / addsB }))
    .sort((x, y) => Math.abs(y.a - y.b) - Math.abs(x.a - x.b))
    .slice(0, n)
    .map((row) => `  ${(row.a - row.b).toFixed(2).padStart(8)}  (${row.a.toFixed(2)} vs ${row.b.toFixed(2)})  ${row.key}`)
    .join("\n")
}

const [dir, specA, specB] = process.argv.slice(2)
const a = sideTimes(dir, specA)
const b = sideTimes(dir, specB)
const perAdd = (side: SideTimes, ms: number) => (ms / side.adds).toFixed(2)
console.log(`${specA}: ${perAdd(a, a.busy)} ms sampled per add, ${perAdd(a, a.plugin)} with plugin frames on the stack (${a.adds} adds)`)
console.log(`${specB}: ${perAdd(b, b.busy)} ms sampled per add, ${perAdd(b, b.plugin)} with plugin frames on the stack (${b.adds} adds)`)
console.log(`packages, self ms per add (difference, ${specA} vs ${specB}):\n${compare(a.byPackage, a.adds, b.byPackage, b.adds, 15)}`)
console.log(`functions, self ms per add:\n${compare(a.byFunction, a.adds, b.byFunction, b.adds, 30)}`)
