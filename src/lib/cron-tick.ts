import { CronExpressionParser } from "cron-parser"

/**
 * The latest tick of a cron expression at or before `now` when it lies within the last `windowMs`, else
 * null: what a job that runs every minute fires for a schedule of its own (server time zone).
 */
export function dueTick(cron: string, now: Date, windowMs: number): Date | null {
  const tick = CronExpressionParser.parse(cron, { currentDate: new Date(now.getTime() + 1) }).prev().toDate()
  return now.getTime() - tick.getTime() < windowMs ? tick : null
}
