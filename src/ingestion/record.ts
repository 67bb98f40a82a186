import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { InteractionInput } from "../modules/uplift/types"
import { enqueueBatch, storeBatch, upliftService } from "./enqueue"
import { MicroBatcher, MicroBatcherOptions } from "./micro-batcher"
import { CartReader } from "./cart-reads"
import { eventsInHand } from "./events-in-hand"
import { cartInteractions, orderInteractions, OrderSnapshot, paymentInteractions, PaymentSnapshot } from "./normalize"

/** An event as a subscriber received it: its name and the id of what changed. */
export interface RecordedEvent {
  name: string
  id: string
}

type Normalizer = (container: MedusaContainer, events: RecordedEvent[], state: IngestionState) => Promise<InteractionInput[]>
type Store = (container: MedusaContainer, records: InteractionInput[]) => Promise<void>

/** Held by the uplift module service, one per application (see batcherFor). */
interface IngestionState {
  batchers: Map<string, MicroBatcher<RecordedEvent>>
  carts: CartReader
}

/**
 * Events arriving together (the event bus runs several subscribers at once) share one read of their
 * entities and one write (cart events) or one queued job (order and payment events). The wait is short
 * against a read and a write, and a batch holding every event the event bus has in hand does not wait at
 * all: no other event can join it.
 */
const BATCHING: MicroBatcherOptions = { maxSize: 500, lingerMs: 2 }

export const ORDER_FIELDS = [
  "id",
  "customer_id",
  "currency_code",
  "created_at",
  "items.id",
  "items.product_id",
  "items.variant_id",
  "items.quantity",
  "items.unit_price",
  "items.detail.quantity",
]

const PAYMENT_FIELDS = [
  "id",
  "amount",
  "currency_code",
  "captures.id",
  "captures.amount",
  "refunds.id",
  "refunds.amount",
  "payment_collection.order.id",
  "payment_collection.order.customer_id",
]

type PaymentWithOrder = PaymentSnapshot & { payment_collection?: { order?: { id: string; customer_id?: string | null } | null } | null }

/**
 * Records what is in a cart (cart.created, cart.updated, ...); resolves once its interactions are stored.
 * Cart events, the busiest, are stored by the subscriber itself: the event bus already queues and runs
 * them, and a second queue hop per batch cost more CPU than the insert (see README, Ingestion).
 */
export const recordCartEvent = eventRecorder("cart", storeBatch, async (container, events, state) => {
  const ids = [...new Set(events.map((event) => event.id))]
  const carts = await state.carts.read(container, ids, upliftService(container).options.ingestionCartReads)
  return events.flatMap((event) => (carts.has(event.id) ? cartInteractions(carts.get(event.id)!) : []))
})

/** Records an order's lines as purchases (order.placed) or cancellations (order.canceled). */
export const recordOrderEvent = eventRecorder("order", enqueueBatch, async (container, events) => {
  const orders = await readByIds<OrderSnapshot>(container, "order", ORDER_FIELDS, events)
  return events.flatMap((event) => {
    const order = orders.get(event.id)
    return order ? orderInteractions(order, event.name === "order.canceled" ? "cancel" : "purchase") : []
  })
})

/** Records a payment's captures (payment.captured) or refunds (payment.refunded), tied to the order's customer. */
export const recordPaymentEvent = eventRecorder("payment", enqueueBatch, async (container, events) => {
  const payments = await readByIds<PaymentWithOrder>(container, "payment", PAYMENT_FIELDS, events)
  return events.flatMap((event) => {
    const payment = payments.get(event.id)
    if (!payment) return []
    const kind = event.name === "payment.refunded" ? "payment_refunded" : "payment_captured"
    return paymentInteractions(payment, payment.payment_collection?.order ?? null, kind)
  })
})

function eventRecorder(entity: string, store: Store, normalize: Normalizer) {
  return (container: MedusaContainer, event: RecordedEvent): Promise<void> => batcherFor(container, entity, store, normalize).submit(event)
}

function batcherFor(container: MedusaContainer, entity: string, store: Store, normalize: Normalizer): MicroBatcher<RecordedEvent> {
  // Held by the uplift module service, one per application: callers given a scoped container (a workflow
  // step) batch together with subscribers given the root one.
  const state = upliftService(container).eventBatchers(() => ingestionState(container))
  let batcher = state.batchers.get(entity)
  if (!batcher) {
    const maxSize = Math.min(BATCHING.maxSize, eventsInHand(container) ?? Infinity)
    batcher = new MicroBatcher(async (events) => store(container, await normalize(container, events, state)), { ...BATCHING, maxSize })
    state.batchers.set(entity, batcher)
  }
  return batcher
}

function ingestionState(container: MedusaContainer): IngestionState {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  return { batchers: new Map(), carts: new CartReader((message) => logger.warn(message)) }
}

/** One query for all the events' entities, by id. */
async function readByIds<T extends { id: string }>(
  container: MedusaContainer,
  entity: string,
  fields: string[],
  events: RecordedEvent[]
): Promise<Map<string, T>> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const ids = [...new Set(events.map((event) => event.id))]
  const { data } = await query.graph({ entity, fields, filters: { id: ids } } as any)
  return new Map((data as T[]).map((row) => [row.id, row]))
}
