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
  updateApiKeysWorkflow,
  updateSalesChannelsWorkflow,
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
  /**
   * Sell through the store's default sales channel and publishable key (the ones `medusa db:migrate`
   * creates), renamed after the store, instead of adding a second pair: the demo's catalogue is then what
   * the default key shows. Without it (tests) a new channel and key are created.
   */
  useStoreDefaults?: boolean
}

/**
 * The parts every selling store needs: sales channel, publishable key, region with the system payment
 * provider, tax region, stock location with manual fulfillment and one flat shipping option.
 * Used by the demo seed and by the integration tests.
 */
export async function createStoreBasics(container: MedusaContainer, input: StoreBasicsInput): Promise<StoreBasics> {
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const defaults = input.useStoreDefaults ? await storeDefaults(container, input.name) : null
  const salesChannelId = defaults?.salesChannelId ?? (await createSalesChannel(container, input.name))
  const apiKey = defaults?.apiKey ?? (await createPublishableKey(container, input.name, salesChannelId))
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
    publishableKey: apiKey.token,
    regionId: regions[0].id,
    currencyCode: input.currencyCode,
    stockLocationId,
    shippingProfileId,
    shippingOptionId: shippingOptions[0].id,
  }
}

async function createSalesChannel(container: MedusaContainer, storeName: string): Promise<string> {
  const { result } = await createSalesChannelsWorkflow(container).run({ input: { salesChannelsData: [{ name: `${storeName} web` }] } })
  return result[0].id
}

async function createPublishableKey(container: MedusaContainer, storeName: string, salesChannelId: string): Promise<{ id: string; token: string }> {
  const { result } = await createApiKeysWorkflow(container).run({
    input: { api_keys: [{ title: `${storeName} storefront`, type: "publishable", created_by: "medusa-uplift" }] },
  })
  await linkSalesChannelsToApiKeyWorkflow(container).run({ input: { id: result[0].id, add: [salesChannelId] } })
  return result[0]
}

/**
 * The store's default sales channel and a publishable key that sells through it, renamed after the store;
 * null when the store has no default channel. A key is created only when no publishable key exists.
 */
async function storeDefaults(container: MedusaContainer, storeName: string): Promise<{ salesChannelId: string; apiKey: { id: string; token: string } } | null> {
  const [store] = await container.resolve(Modules.STORE).listStores({}, { select: ["id", "default_sales_channel_id"] })
  const salesChannelId = store?.default_sales_channel_id
  if (!salesChannelId) return null
  await updateSalesChannelsWorkflow(container).run({ input: { selector: { id: salesChannelId }, update: { name: `${storeName} web` } } })
  const [existing] = await container.resolve(Modules.API_KEY).listApiKeys({ type: "publishable", revoked_at: null } as any, { take: 1, order: { created_at: "ASC" } })
  if (!existing) return { salesChannelId, apiKey: await createPublishableKey(container, storeName, salesChannelId) }
  await updateApiKeysWorkflow(container).run({ input: { selector: { id: existing.id }, update: { title: `${storeName} storefront` } } })
  const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({ entity: "api_key", fields: ["sales_channels.id"], filters: { id: existing.id } })
  const linked = ((data[0] as any)?.sales_channels ?? []).some((channel: { id: string }) => channel.id === salesChannelId)
  if (!linked) await linkSalesChannelsToApiKeyWorkflow(container).run({ input: { id: existing.id, add: [salesChannelId] } })
  return { salesChannelId, apiKey: existing }
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

/** The order risk widget's id in the admin's layout preferences (its defineWidgetConfig id, prefixed as the admin does). */
export const ORDER_RISK_WIDGET = "widget:medusa-uplift:order-risk"

/**
 * Makes the fraud widget the first thing on the order page, above Medusa's own sections, as the store-wide
 * default layout (each admin user can still rearrange their own view). Leaves an existing default alone.
 */
export async function placeOrderRiskWidgetFirst(container: MedusaContainer): Promise<boolean> {
  const settings = container.resolve(Modules.SETTINGS)
  if (await settings.getSystemDefaultLayoutConfiguration("order.details")) return false
  await settings.setSystemDefaultLayoutConfiguration("order.details", { widgets: { [ORDER_RISK_WIDGET]: { order: -1 } } })
  return true
}
