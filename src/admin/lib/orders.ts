import { useQuery } from "@tanstack/react-query"
import { apiGet } from "./client"
import type { FraudAssessment, FraudHold, PersonalOffer } from "./types"

export interface OrderSummary {
  id: string
  display_id: number
  email: string | null
  total: number
  currency_code: string
  created_at: string
  status: string
  payment_status?: string
  items?: { id: string; title: string; quantity: number }[]
  customer?: { id: string; first_name: string | null; last_name: string | null; email: string; has_account: boolean } | null
  shipping_address?: { city: string | null; country_code: string | null } | null
}

const ORDER_FIELDS = "id,display_id,email,total,currency_code,created_at,status,payment_status,*items,*customer,*shipping_address"

export function useOrderSummary(orderId: string | null | undefined) {
  return useQuery({
    queryKey: ["uplift", "order-summary", orderId],
    queryFn: () => apiGet<{ order: OrderSummary }>(`/admin/orders/${orderId}`, { fields: ORDER_FIELDS }).then((r) => r.order),
    enabled: Boolean(orderId),
    staleTime: 30_000,
  })
}

/** The latest risk assessment of an order (there may be several attempts before the one that became the order). */
export function useOrderAssessment(orderId: string | null | undefined) {
  return useQuery({
    queryKey: ["uplift", "fraud", "assessment", orderId],
    queryFn: () => apiGet<{ assessments: FraudAssessment[] }>("/admin/fraud/assessments", { order_id: orderId, limit: 1 }).then((r) => r.assessments[0] ?? null),
    enabled: Boolean(orderId),
  })
}

export function useOrderHolds(orderId: string | null | undefined) {
  return useQuery({
    queryKey: ["uplift", "fraud", "holds", "order", orderId],
    queryFn: () => apiGet<{ holds: FraudHold[] }>("/admin/fraud/holds", { order_id: orderId, limit: 10 }).then((r) => r.holds),
    enabled: Boolean(orderId),
  })
}

export function customerName(order: OrderSummary): string {
  const name = [order.customer?.first_name, order.customer?.last_name].filter(Boolean).join(" ")
  return name || order.customer?.email || order.email || "Guest"
}

/** The personal offer an order redeemed, if any, with its policy's name. */
export function useOrderOffer(orderId: string | null | undefined) {
  return useQuery({
    queryKey: ["uplift", "offers", "order", orderId],
    queryFn: async () => {
      const { personal_offers } = await apiGet<{ personal_offers: PersonalOffer[] }>("/admin/personal-offers", { order_id: orderId, status: "redeemed", limit: 1 })
      const offer = personal_offers[0]
      if (!offer) return null
      const policy = await apiGet<{ discount_policy: { name: string } }>(`/admin/discount-policies/${offer.policy_id}`).catch(() => null)
      return { offer, policyName: policy?.discount_policy.name ?? null }
    },
    enabled: Boolean(orderId),
  })
}
