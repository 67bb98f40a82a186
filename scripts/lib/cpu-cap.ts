import * as fs from "fs"
import * as path from "path"

/**
 * A CPU budget for some processes: a Linux cgroup with a CPU quota (cgroup v1's cpu controller, or cgroup v2's
 * cpu.max), so that a process on a shared machine behaves as if it had a machine of its own with that many cores.
 * Processes moved in stay in until `release`, which moves any still running back out and removes the cgroup.
 */
export interface CpuCap {
  /** Moves these processes (every thread of each) into the cgroup; those gone meanwhile are skipped. */
  add(pids: number[]): void
  release(): void
}

/** Short periods, so that a capped process is held back in many small waits rather than a few long ones. */
const PERIOD_US = 10_000

/** The cgroup `name` capped at `cores`, or null where this machine lets us create none (not root, no cpu controller). */
export function createCpuCap(name: string, cores: number): CpuCap | null {
  for (const layout of [V1, V2]) {
    const root = layout.root()
    if (!root) continue
    const dir = path.join(root, name)
    try {
      if (!fs.existsSync(dir)) fs.mkdirSync(dir)
      layout.setQuota(dir, Math.round(cores * PERIOD_US))
      return cap(dir, root)
    } catch {
      try {
        fs.rmdirSync(dir)
      } catch {
        // not created
      }
    }
  }
  return null
}

function cap(dir: string, root: string): CpuCap {
  const move = (pids: number[], into: string) => {
    for (const pid of pids) {
      try {
        fs.writeFileSync(path.join(into, "cgroup.procs"), String(pid))
      } catch {
        // the process has exited
      }
    }
  }
  return {
    add: (pids) => move(pids, dir),
    release: () => {
      move(procsOf(dir), root)
      try {
        fs.rmdirSync(dir)
      } catch {
        // a process could not be moved out: the cgroup stays, empty once that process exits (names hold the bench's pid)
      }
    },
  }
}

function procsOf(dir: string): number[] {
  try {
    return fs.readFileSync(path.join(dir, "cgroup.procs"), "utf8").split("\n").filter(Boolean).map(Number)
  } catch {
    return []
  }
}

interface Layout {
  root(): string | null
  setQuota(dir: string, quotaUs: number): void
}

const V1: Layout = {
  root: () => (fs.existsSync("/sys/fs/cgroup/cpu/cpu.cfs_quota_us") ? "/sys/fs/cgroup/cpu" : null),
  setQuota: (dir, quotaUs) => {
    fs.writeFileSync(path.join(dir, "cpu.cfs_period_us"), String(PERIOD_US))
    fs.writeFileSync(path.join(dir, "cpu.cfs_quota_us"), String(quotaUs))
  },
}

const V2: Layout = {
  root: () => {
    try {
      return fs.readFileSync("/sys/fs/cgroup/cgroup.subtree_control", "utf8").split(/\s+/).includes("cpu") ? "/sys/fs/cgroup" : null
    } catch {
      return null
    }
  },
  setQuota: (dir, quotaUs) => fs.writeFileSync(path.join(dir, "cpu.max"), `${quotaUs} ${PERIOD_US}`),
}
