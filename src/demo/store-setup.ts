import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  createApiKeysWorkflow,
  createRegionsWorkflow,
  createSalesChannelsWorkflow,
  createShippingOptionsWorkflow,
  createShippingProfilesWorkflow,
  createStockLocationsWorkflow,
  createTaxRegionsWorkflow,
  linkSalesChannelsToApiKeyWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
} from "@medusajs/medusa/core-flows"

export interface StoreBasics {
  salesChannelId: string
  publishableKey: string
  regionId: string
  currencyCode: string
  stockLocationId: string
  shippingProfileId: string
  shippingOptionId: string
}

export interface StoreBasicsInput {
  name: string
  currencyCode: string
  countryCode: string
}

/**
 * The parts every selling store needs: sales channel, publishable key, region with the system payment
 * provider, tax region, stock location with manual fulfillment and one flat shipping option.
 * Used by the demo seed and by the integration tests.
 */
export async function createStoreBasics(container: MedusaContainer, input: StoreBasicsInput): Promise<StoreBasics> {
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const { result: salesChannels } = await createSalesChannelsWorkflow(container).run({
    input: { salesChannelsData: [{ name: `${input.name} web` }] },
  })
  const salesChannelId = salesChannels[0].id
  const { result: apiKeys } = await createApiKeysWorkflow(container).run({
    input: { api_keys: [{ title: `${input.name} storefront`, type: "publishable", created_by: "medusa-uplift" }] },
  })
  await linkSalesChannelsToApiKeyWorkflow(container).run({ input: { id: apiKeys[0].id, add: [salesChannelId] } })
  await ensureStoreCurrency(container, input.currencyCode, salesChannelId)

  const { result: regions } = await createRegionsWorkflow(container).run({
    input: {
      regions: [
        {
          name: input.name,
          currency_code: input.currencyCode,
          countries: [input.countryCode],
          payment_providers: ["pp_system_default"],
        },
      ],
    },
  })
  await createTaxRegionsWorkflow(container).run({ input: [{ country_code: input.countryCode, provider_id: "tp_system" }] })

  const { result: locations } = await createStockLocationsWorkflow(container).run({
    input: { locations: [{ name: `${input.name} warehouse`, address: { address_1: "1 Main St", city: "Cincinnati", country_code: input.countryCode } }] },
  })
  const stockLocationId = locations[0].id
  await link.create({
    [Modules.STOCK_LOCATION]: { stock_location_id: stockLocationId },
    [Modules.FULFILLMENT]: { fulfillment_provider_id: "manual_manual" },
  })
  await linkSalesChannelsToStockLocationWorkflow(container).run({ input: { id: stockLocationId, add: [salesChannelId] } })

  const shippingProfileId = await defaultShippingProfile(container)
  const fulfillment = container.resolve(Modules.FULFILLMENT)
  const fulfillmentSet = await fulfillment.createFulfillmentSets({
    name: `${input.name} delivery ${Date.now()}`,
    type: "shipping",
    service_zones: [{ name: input.name, geo_zones: [{ country_code: input.countryCode, type: "country" }] }],
  })
  await link.create({
    [Modules.STOCK_LOCATION]: { stock_location_id: stockLocationId },
    [Modules.FULFILLMENT]: { fulfillment_set_id: fulfillmentSet.id },
  })
  const { result: shippingOptions } = await createShippingOptionsWorkflow(container).run({
    input: [
      {
        name: "Standard shipping",
        price_type: "flat",
        provider_id: "manual_manual",
        service_zone_id: fulfillmentSet.service_zones[0].id,
        shipping_profile_id: shippingProfileId,
        type: { label: "Standard", description: "Ships in 2-3 days.", code: "standard" },
        prices: [
          { currency_code: input.currencyCode, amount: 5 },
          { region_id: regions[0].id, amount: 5 },
        ],
        rules: [
          { attribute: "enabled_in_store", value: "true", operator: "eq" },
          { attribute: "is_return", value: "false", operator: "eq" },
        ],
      },
    ],
  })
  return {
    salesChannelId,
    publishableKey: apiKeys[0].token,
    regionId: regions[0].id,
    currencyCode: input.currencyCode,
    stockLocationId,
    shippingProfileId,
    shippingOptionId: shippingOptions[0].id,
  }
}

async function defaultShippingProfile(container: MedusaContainer): Promise<string> {
  const fulfillment = container.resolve(Modules.FULFILLMENT)
  const [existing] = await fulfillment.listShippingProfiles({ type: "default" })
  if (existing) {
    return existing.id
  }
  const { result } = await createShippingProfilesWorkflow(container).run({
    input: { data: [{ name: "Default", type: "default" }] },
  })
  return result[0].id
}

async function ensureStoreCurrency(container: MedusaContainer, currencyCode: string, salesChannelId: string): Promise<void> {
  const storeModule = container.resolve(Modules.STORE)
  const [store] = await storeModule.listStores({}, { relations: ["supported_currencies"] })
  if (!store) {
    return
  }
  const hasCurrency = (store.supported_currencies ?? []).some((currency) => currency.currency_code === currencyCode)
  await storeModule.updateStores(store.id, {
    default_sales_channel_id: store.default_sales_channel_id ?? salesChannelId,
    ...(hasCurrency ? {} : { supported_currencies: [{ currency_code: currencyCode, is_default: true }] }),
  })
}
