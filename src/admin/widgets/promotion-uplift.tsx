import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { DetailWidgetProps, HttpTypes } from "@medusajs/framework/types"
import { Container, Heading, Text } from "@medusajs/ui"
import { useQuery } from "@tanstack/react-query"
import { Link } from "react-router-dom"
import { PolicyStatusBadge } from "../components/badges"
import { ErrorState, KeyValue, LoadingState } from "../components/states"
import { apiGet, isUnavailable } from "../lib/client"
import { dateTime, num } from "../lib/format"
import type { DiscountPolicy, PersonalOffer } from "../lib/types"

/** The campaign the plugin puts its tier promotions in ("Your personal discount"; src/modules/discounts/offer-codes.ts). */
const PERSONAL_DISCOUNT_CAMPAIGN = "medusa-uplift-personal-discount"
/** Tier promotions of stores from before the campaign, not yet renamed (`UPLIFT-10`, `UPLIFT-ITEMS-10`). */
const LEGACY_CODE = /^UPLIFT-(?:ITEMS-)?(\d+(?:\.\d+)?)$/i
const PAGE = 200
const MAX_PAGES = 5

/** The ladder level a plugin tier promotion serves (`YOUR-10-OFF` is the 10% level), or null for other promotions. */
function levelOf(promotion: HttpTypes.AdminPromotion): number | null {
  const legacy = promotion.code?.match(LEGACY_CODE)
  const ours = promotion.campaign?.campaign_identifier === PERSONAL_DISCOUNT_CAMPAIGN
  const level = legacy ? Number(legacy[1]) : ours ? Number(promotion.application_method?.value) : NaN
  return Number.isFinite(level) && level > 0 ? level : null
}

async function activeOffersAt(level: number): Promise<{ offers: PersonalOffer[]; complete: boolean }> {
  const offers: PersonalOffer[] = []
  for (let page = 0; page < MAX_PAGES; page++) {
    const { personal_offers, count } = await apiGet<{ personal_offers: PersonalOffer[]; count: number }>("/admin/personal-offers", {
      status: "active",
      limit: PAGE,
      offset: page * PAGE,
    })
    offers.push(...personal_offers.filter((offer) => offer.discount_percent === level))
    if ((page + 1) * PAGE >= count) return { offers, complete: true }
  }
  return { offers, complete: false }
}

function PromotionUpliftContent({ level }: { level: number }) {
  const policies = useQuery({
    queryKey: ["uplift", "policies", "all"],
    queryFn: () => apiGet<{ discount_policies: DiscountPolicy[] }>("/admin/discount-policies", { limit: 200 }),
  })
  const offers = useQuery({
    queryKey: ["uplift", "offers", "level", level],
    queryFn: () => activeOffersAt(level),
  })
  if (isUnavailable(policies.error)) return null
  const serving = policies.data?.discount_policies.filter((policy) => policy.ladder.includes(level)) ?? []
  return (
    <Container className="divide-y p-0" data-testid="promotion-uplift-widget">
      <div className="px-6 py-4">
        <Heading level="h2">Uplift personal offer</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          The {level}% ladder level: applies only to carts of customers who hold a {level}% personal offer, so one promotion serves every such customer.
          That condition is a rule on the plugin's own cart attribute, which Medusa's "Who can use this code?" above does not list: it shows none, yet the promotion is not open to everyone.
        </Text>
      </div>
      {policies.isLoading || offers.isLoading ? (
        <LoadingState />
      ) : policies.error || offers.error ? (
        <ErrorState error={policies.error ?? offers.error} what="Personal offer usage" />
      ) : (
        <>
          <KeyValue label="Policies with this level">
            {serving.length === 0 ? (
              <span className="text-ui-fg-muted">No policy offers {level}% right now</span>
            ) : (
              <div className="flex flex-col gap-y-1">
                {serving.map((policy) => (
                  <div key={policy.id} className="flex items-center gap-x-2">
                    <Link to={`/uplift/policies/${policy.id}`} className="text-ui-fg-interactive">
                      {policy.name}
                    </Link>
                    <PolicyStatusBadge status={policy.status} />
                  </div>
                ))}
              </div>
            )}
          </KeyValue>
          <KeyValue label="Active offers at this level">
            <span data-testid="active-offer-count">
              {num(offers.data!.offers.length, 0)}
              {offers.data!.complete ? "" : "+"}
            </span>
          </KeyValue>
          {offers.data!.offers.slice(0, 5).map((offer) => (
            <KeyValue key={offer.id} label={`Customer, until ${dateTime(offer.expires_at)}`}>
              <Link to={`/customers/${offer.customer_id}`} className="text-ui-fg-interactive">
                {offer.customer_id}
              </Link>
            </KeyValue>
          ))}
        </>
      )}
    </Container>
  )
}

/** Promotion page: which policy and ladder level a personal-discount tier promotion serves, and who holds offers at it. */
const PromotionUpliftWidget = ({ data: promotion }: DetailWidgetProps<HttpTypes.AdminPromotion>) => {
  const level = levelOf(promotion)
  if (level === null) return null
  return <PromotionUpliftContent level={level} />
}

export const config = defineWidgetConfig({ zone: "promotion.details" })

export default PromotionUpliftWidget
