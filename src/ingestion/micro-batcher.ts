export interface MicroBatcherOptions {
  /** A batch this large is handled at once, without waiting for more. */
  maxSize: number
  /** How long the first item of a batch waits for others to join it. */
  lingerMs: number
}

interface Waiting<T> {
  item: T
  resolve: () => void
  reject: (error: unknown) => void
}

/**
 * Groups items submitted close together (concurrent event subscribers) into one call of `handle`. Each
 * submitter's promise settles with its batch, rejecting when the batch failed, so a subscriber that awaits
 * it knows its event was handled and the event bus can retry one that was not.
 */
export class MicroBatcher<T> {
  private waiting: Waiting<T>[] = []
  private timer?: NodeJS.Timeout

  constructor(
    private readonly handle: (items: T[]) => Promise<void>,
    private readonly options: MicroBatcherOptions
  ) {}

  submit(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject })
      if (this.waiting.length >= this.options.maxSize) {
        this.flush()
      } else if (!this.timer) {
        this.timer = setTimeout(() => this.flush(), this.options.lingerMs)
      }
    })
  }

  private flush(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    const batch = this.waiting.splice(0)
    if (!batch.length) return
    Promise.resolve()
      .then(() => this.handle(batch.map((waiting) => waiting.item)))
      .then(
        () => batch.forEach((waiting) => waiting.resolve()),
        (error) => batch.forEach((waiting) => waiting.reject(error))
      )
  }
}
