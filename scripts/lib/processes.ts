import * as fs from "fs"

/** Linux's clock tick (USER_HZ): /proc reports CPU time in these. */
const CLOCK_TICK_MS = 10

/** CPU time (utime + stime), process group and command name of a pid, from /proc/<pid>/stat (undefined once it is gone). */
export function procStat(pid: number): { cpuMs: number; group: number; command: string } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8")
    // The command name is in parentheses and may itself hold spaces or parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    return {
      cpuMs: (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS,
      group: Number(fields[2]),
      command: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")),
    }
  } catch {
    return undefined
  }
}

/** Every pid on the machine now. */
export function allPids(): number[] {
  return fs.readdirSync("/proc").filter((entry) => /^\d+$/.test(entry)).map(Number)
}

/** The pids of a process group (a server started detached: the CLI and the server it starts). */
export function groupPids(group: number): number[] {
  return allPids().filter((pid) => procStat(pid)?.group === group)
}

/** CPU ms so far of these processes together (those gone meanwhile count nothing). */
export function cpuMsOf(pids: number[]): number {
  return pids.reduce((total, pid) => total + (procStat(pid)?.cpuMs ?? 0), 0)
}
