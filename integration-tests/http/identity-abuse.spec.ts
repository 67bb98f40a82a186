import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { adminHeaders, customerHeaders } from "../helpers/auth"
import { checkout, createCart, createTestStore, eventually, promotionCodes, storefront, TestStore } from "../helpers/store"
import { welcomePolicy } from "../helpers/policies"
import { DISCOUNTS_MODULE } from "../../src/modules/discounts"

jest.setTimeout(240_000)


const settle = () => new Promise((resolve) => setTimeout(resolve, 1_500))

/**
 * Attacks on identity: Medusa links a guest cart that is given an email to the customer with that email,
 * registered accounts included. The plugin must key offers and fraud history on the logged-in shopper.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: TestStore
    let admin: { headers: Record<string, string> }
    const { config: storeConfig, getCart } = storefront(api, () => store)
    const discounts = () => getContainer().resolve<any>(DISCOUNTS_MODULE)

    beforeEach(async () => {
      store = await createTestStore(getContainer())
      admin = await adminHeaders(api, getContainer())
      await api.post("/admin/discount-policies", welcomePolicy, admin)
    })

    it("a guest cart carrying a registered customer's email gets no discount, and the customer keeps the offer", async () => {
      const victim = await customerHeaders(api, store.publishableKey, "victim@uplift.test")
      const victimCart = await createCart(api, store, victim.headers, [{ variant_id: store.variantIds[0], quantity: 1 }])
      await eventually(() => getCart(victimCart, victim.headers), (cart: any) => promotionCodes(cart).includes("YOUR-10-OFF"))
      const [offer] = await discounts().listPersonalOffers({ customer_id: victim.customerId, status: "active" })
      expect(offer).toBeDefined()

      // The attack: an anonymous cart given the victim's email, which Medusa links to the victim's account.
      const guestCart = await createCart(api, store, {}, [{ variant_id: store.variantIds[0], quantity: 1 }])
      const { data: linked } = await api.post(`/store/carts/${guestCart}`, { email: "victim@uplift.test" }, storeConfig())
      expect(linked.cart.customer_id).toBe(victim.customerId)
      expect(promotionCodes(linked.cart)).toEqual([])
      const { data: grown } = await api.post(`/store/carts/${guestCart}/line-items`, { variant_id: store.variantIds[1], quantity: 1 }, storeConfig())
      expect(promotionCodes(grown.cart)).toEqual([])
      await settle()
      expect((await getCart(guestCart)).discount_total).toBe(0)

      const completion = await checkout(api, store, guestCart, {}, "victim@uplift.test")
      expect(completion.order.discount_total).toBe(0)
      await settle()
      const [still] = await discounts().listPersonalOffers({ id: offer.id })
      expect(still).toMatchObject({ status: "active", order_id: null })

      // The victim still gets the discount on their own cart.
      const { data: victimAdd } = await api.post(`/store/carts/${victimCart}/line-items`, { variant_id: store.variantIds[1], quantity: 1 }, storeConfig(victim.headers))
      expect(promotionCodes(victimAdd.cart)).toContain("YOUR-10-OFF")

      // Fraud screening saw a guest, not the victim's account and history.
      const { data: assessments } = await api.get(`/admin/fraud/assessments?cart_id=${guestCart}`, admin)
      expect(assessments.assessments).toHaveLength(1)
      expect(assessments.assessments[0].signals["customer.has_account"]).not.toBe(true)
      expect(assessments.assessments[0].signals["customer.account_age_hours"]).toBeNull()
    })

    it("guests with a fresh email on every cart earn no first-order offers", async () => {
      const guests: string[] = []
      for (const n of [1, 2, 3]) {
        const cartId = await createCart(api, store, {}, [{ variant_id: store.variantIds[0], quantity: 1 }])
        const { data } = await api.post(`/store/carts/${cartId}`, { email: `fresh-${n}@uplift.test` }, storeConfig())
        expect(data.cart.customer_id).toBeTruthy()
        const { data: grown } = await api.post(`/store/carts/${cartId}/line-items`, { variant_id: store.variantIds[1], quantity: 1 }, storeConfig())
        expect(promotionCodes(grown.cart)).toEqual([])
        guests.push(data.cart.customer_id)
      }
      await settle()
      expect(await discounts().listOfferDecisions({ customer_id: guests })).toHaveLength(0)
      expect(await discounts().listPersonalOffers({ customer_id: guests })).toHaveLength(0)
    })
  },
})
