/** A fixed 10% first-order policy with no holdout or exploration: every logged-in first-time shopper gets 10%. */
export const welcomePolicy = {
  name: "Welcome 10%",
  status: "active",
  strategy: "fixed",
  rounds: ["first_order"],
  ladder: [10],
  max_discount_percent: 10,
  min_margin_percent: 5,
  holdout_percent: 0,
  exploration_percent: 0,
  offer_ttl_hours: 48,
}
