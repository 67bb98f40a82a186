import { spawnSync } from "child_process"
import * as fs from "fs"
import * as os from "os"
import * as path from "path"

/**
 * A Postgres cluster of the test's own (initdb in a temp dir, trust auth, its own port and socket dir), so
 * that a test can stop and start a database without touching the shared server on 5432. Uses the server
 * binaries of the Debian postgresql package (/usr/lib/postgresql/<version>/bin) or $UPLIFT_PG_BINDIR.
 * Postgres refuses to run as root: as root, the commands run as the `postgres` OS user.
 */
export interface PrivateCluster {
  port: number
  dataDir: string
  url: (database: string) => string
  start: () => void
  stop: () => void
  /** Stops the cluster at once if it runs and removes its files; safe to call more than once. */
  destroy: () => void
}

export function postgresBinDir(): string {
  if (process.env.UPLIFT_PG_BINDIR) return process.env.UPLIFT_PG_BINDIR
  const root = "/usr/lib/postgresql"
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, "bin/initdb"))) : []
  if (!versions.length) throw new Error("no Postgres server binaries: install the postgresql package or set UPLIFT_PG_BINDIR")
  return path.join(root, versions.sort((a, b) => Number(b) - Number(a))[0], "bin")
}

const runsAsRoot = () => process.getuid?.() === 0

function run(binDir: string, tool: string, args: string[]) {
  const command = path.join(binDir, tool)
  const result = runsAsRoot()
    ? spawnSync("runuser", ["-u", "postgres", "--", command, ...args], { encoding: "utf8" })
    : spawnSync(command, args, { encoding: "utf8" })
  if (result.status !== 0) throw new Error(`${tool} ${args.join(" ")} failed (${result.status}): ${result.stderr || result.stdout || result.error}`)
}

export function createPrivateCluster(port: number): PrivateCluster {
  const binDir = postgresBinDir()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "uplift-pg-"))
  if (runsAsRoot()) {
    const { uid, gid } = postgresUser()
    fs.chownSync(dataDir, uid, gid)
  }
  const cluster = path.join(dataDir, "data")
  run(binDir, "initdb", ["-D", cluster, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"])
  // Durability does not matter for a throwaway cluster; speed does.
  fs.appendFileSync(
    path.join(cluster, "postgresql.conf"),
    [`port = ${port}`, "listen_addresses = '127.0.0.1'", `unix_socket_directories = '${dataDir}'`, "fsync = off", "synchronous_commit = off", "full_page_writes = off", ""].join("\n")
  )
  let running = false
  return {
    port,
    dataDir,
    url: (database) => `postgres://postgres@localhost:${port}/${database}`,
    start: () => {
      run(binDir, "pg_ctl", ["-D", cluster, "-l", path.join(dataDir, "server.log"), "-w", "-t", "60", "start"])
      running = true
    },
    stop: () => {
      run(binDir, "pg_ctl", ["-D", cluster, "-m", "fast", "-w", "stop"])
      running = false
    },
    destroy: () => {
      if (running) {
        try {
          run(binDir, "pg_ctl", ["-D", cluster, "-m", "immediate", "-w", "stop"])
        } catch {
          // already stopped
        }
        running = false
      }
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

function postgresUser(): { uid: number; gid: number } {
  const line = fs.readFileSync("/etc/passwd", "utf8").split("\n").find((entry) => entry.startsWith("postgres:"))
  if (!line) throw new Error("running as root needs the postgres OS user (from the postgresql package) to run the cluster")
  const [, , uid, gid] = line.split(":")
  return { uid: Number(uid), gid: Number(gid) }
}
