import * as fs from "fs"
import * as path from "path"

/**
 * Splits the CPU profiles of a cart-cpu run (BENCH_CPU_PROFILE=<dir>, scripts/bench/cart-cpu.ts) by side:
 * for each side's rounds, the sampled time, the part with a frame of this plugin's code on the stack, and
 * where that part goes (outermost plugin frame, then self time by function). Work the plugin causes but
 * that runs outside its frames (a database driver parsing a reply) is not attributed.
 *
 * usage: ts-node --transpile-only scripts/bench/cpu-profile-split.ts <dir> [with|baseline]
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

const [dir, server = "with"] = process.argv.slice(2)
const windows: Record<string, [string, string][]> = JSON.parse(fs.readFileSync(path.join(dir, "windows.json"), "utf8"))
const profileDir = path.join(dir, server)
const pluginFrame = (url: string) => /\/src\/(?!.*node_modules)/.test(url) && !url.includes("node_modules")
const label = (node: ProfileNode) => `${node.callFrame.functionName || "(anonymous)"} ${node.callFrame.url.replace(/^.*\/src\//, "src/")}:${node.callFrame.lineNumber + 1}`

for (const file of fs.readdirSync(profileDir).filter((name) => name.endsWith(".cpuprofile"))) {
  const profile: Profile = JSON.parse(fs.readFileSync(path.join(profileDir, file), "utf8"))
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const stack = (id: number) => {
    const frames: ProfileNode[] = []
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) frames.push(byId.get(at)!)
    return frames // innermost first
  }
  let time = profile.startTime
  const sampleTimes = profile.timeDeltas.map((delta) => (time += delta))
  if (sampleTimes.length < 1000) continue
  console.log(`\n## ${file}: ${sampleTimes.length} samples`)
  for (const [side, spans] of Object.entries(windows).filter(([name]) => name.startsWith(`${server}_`))) {
    const inSide = (t: number) => spans.some(([from, to]) => t >= Number(from) && t <= Number(to))
    let sampled = 0
    let plugin = 0
    let idle = 0
    const outermost = new Map<string, number>()
    const selfTime = new Map<string, number>()
    for (let i = 0; i < profile.samples.length; i++) {
      if (!inSide(sampleTimes[i])) continue
      const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000
      const frames = stack(profile.samples[i])
      const name = frames[0].callFrame.functionName
      if (name === "(idle)") {
        idle += dt
        continue
      }
      sampled += dt
      const pluginFrames = frames.filter((frame) => pluginFrame(frame.callFrame.url))
      if (!pluginFrames.length) continue
      plugin += dt
      const outer = label(pluginFrames[pluginFrames.length - 1])
      outermost.set(outer, (outermost.get(outer) ?? 0) + dt)
      const self = label(frames[0])
      selfTime.set(self, (selfTime.get(self) ?? 0) + dt)
    }
    const top = (entries: Map<string, number>, n: number) =>
      [...entries].sort((a, b) => b[1] - a[1]).slice(0, n).map(([key, ms]) => `    ${ms.toFixed(0).padStart(6)} ms  ${key}`).join("\n")
    console.log(`${side}: ${sampled.toFixed(0)} ms sampled busy (${idle.toFixed(0)} idle), ${plugin.toFixed(0)} ms with plugin frames on the stack`)
    console.log(`  outermost plugin frame:\n${top(outermost, 12)}`)
    console.log(`  self time under plugin frames:\n${top(selfTime, 15)}`)
  }
}
