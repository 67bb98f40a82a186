/**
 * Preloaded into a store process (NODE_OPTIONS=--require, where --cpu-prof is not allowed) by benches that
 * profile it: the V8 profiler runs from start, and SIGUSR2 writes what it sampled so far to
 * $UPLIFT_CPU_PROFILE_DIR/<pid>.cpuprofile.
 */
const fs = require("fs")
const path = require("path")
const { Session } = require("inspector")

const dir = process.env.UPLIFT_CPU_PROFILE_DIR
if (dir) {
  const session = new Session()
  session.connect()
  session.post("Profiler.enable", () => session.post("Profiler.start"))
  process.on("SIGUSR2", () => {
    session.post("Profiler.stop", (error, result) => {
      if (!error) {
        fs.mkdirSync(dir, { recursive: true })
        fs.writeFileSync(path.join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile))
      }
    })
  })
}
