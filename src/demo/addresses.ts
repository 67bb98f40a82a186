/**
 * A home address per demo household, spread over the Cincinnati area where the data's retailer trades:
 * one shared address for every customer would make each order look like an account farm to the fraud
 * screening ("this shipping address is used by 2,377 accounts").
 */
const STREETS = [
  "Vine St", "Main St", "Elm St", "Race St", "Walnut St", "Madison Rd", "Glenway Ave", "Reading Rd", "Montgomery Rd", "Delta Ave",
  "Ludlow Ave", "Harrison Ave", "Hamilton Ave", "Colerain Ave", "Beechmont Ave", "Erie Ave", "Clifton Ave", "Paxton Ave", "Kellogg Ave", "Winton Rd",
]
const PLACES = [
  { city: "Cincinnati", postal_code: "45202" }, { city: "Cincinnati", postal_code: "45206" }, { city: "Cincinnati", postal_code: "45208" },
  { city: "Cincinnati", postal_code: "45219" }, { city: "Cincinnati", postal_code: "45220" }, { city: "Cincinnati", postal_code: "45223" },
  { city: "Cincinnati", postal_code: "45227" }, { city: "Cincinnati", postal_code: "45230" }, { city: "Cincinnati", postal_code: "45238" },
  { city: "Norwood", postal_code: "45212" }, { city: "Blue Ash", postal_code: "45242" }, { city: "Mason", postal_code: "45040" },
  { city: "Fairfield", postal_code: "45014" }, { city: "Loveland", postal_code: "45140" }, { city: "Milford", postal_code: "45150" },
]

export interface DemoAddress {
  first_name: string
  last_name: string
  address_1: string
  city: string
  province: string
  postal_code: string
  country_code: string
}

/** Deterministic per household: the same household always ships to the same home. */
export function addressOf(household: string, countryCode: string): DemoAddress {
  const n = Number(household) || [...household].reduce((sum, char) => sum * 31 + char.charCodeAt(0), 7)
  const place = PLACES[n % PLACES.length]
  return {
    first_name: "Household",
    last_name: household,
    address_1: `${100 + ((n * 37) % 9800)} ${STREETS[Math.floor(n / PLACES.length) % STREETS.length]}`,
    city: place.city,
    province: "OH",
    postal_code: place.postal_code,
    country_code: countryCode,
  }
}
