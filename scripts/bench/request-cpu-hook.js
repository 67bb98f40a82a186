/**
 * Preloaded into a store process (NODE_OPTIONS=--require) by ./cart-update.ts when BENCH_CART_SERVER_CPU=1:
 * for every add-to-cart (POST /store/carts/:id/line-items) it appends `cart id,wall ms,cpu ms` to
 * $UPLIFT_REQUEST_CPU_DIR/<pid>.csv, both measured inside the server from the request's arrival to its
 * response's last byte. The CPU is the whole process's (every thread), so work the process does beside the
 * request (a subscriber, a timer) counts too: what a shopper's request competes with.
 */
const fs = require("fs")
const http = require("http")
const path = require("path")

const dir = process.env.UPLIFT_REQUEST_CPU_DIR
const ADD_TO_CART = /^\/store\/carts\/([^/?]+)\/line-items(\?|$)/
if (dir) {
  const file = path.join(dir, `${process.pid}.csv`)
  const emit = http.Server.prototype.emit
  http.Server.prototype.emit = function (event, req, res) {
    const match = event === "request" && req.method === "POST" && ADD_TO_CART.exec(req.url)
    if (match) {
      const started = process.hrtime.bigint()
      const cpu = process.cpuUsage()
      res.on("finish", () => {
        const used = process.cpuUsage(cpu)
        const wallMs = Number(process.hrtime.bigint() - started) / 1e6
        fs.appendFileSync(file, `${match[1]},${wallMs.toFixed(3)},${((used.user + used.system) / 1000).toFixed(3)}\n`)
      })
    }
    return emit.apply(this, arguments)
  }
}
