/**
 * How the demo catalogue reads to a shopper and a merchant: product titles in words (commodity and
 * sub-commodity, the data's abbreviations spelled out) and one picture per product category, drawn here
 * as an SVG data URL (no network, no file storage).
 */

/** Abbreviations of the Complete Journey product descriptions, spelled out. */
const WORDS: Record<string, string> = {
  BG: "bag", BKD: "baked", BR: "bread", BTL: "bottle", BTR: "butter", CARB: "carbonated", CHIX: "chicken", CND: "canned",
  CRMD: "creamed", DAN: "danish", DNRS: "dinners", DRNK: "drink", DRNKS: "drinks", DRSNG: "dressing", DSH: "dish", EX: "extra",
  FD: "food", FLVRD: "flavored", FRZ: "frozen", FRZN: "frozen", GDS: "goods", GRND: "ground", INCL: "", JU: "juice",
  MLT: "multi", MW: "microwave", MX: "mix", MXS: "mixes", PK: "pack", PKG: "package", PNT: "peanut", PREP: "prepared",
  SALD: "salad", SAUS: "sausage", SFT: "soft", SGL: "single", SHERBTS: "sherbets", SNGL: "single", SPLY: "supply",
  SPRD: "spread", SRV: "serve", SW: "sweet", TORT: "tortilla", TRSH: "trash", VEG: "vegetable", WHL: "whole",
  WHLSM: "wholesome", WT: "weight", WTR: "water",
}
const SIZE_UNITS: Record<string, string> = { GA: "gal", DZ: "dozen", CT: "count", LB: "lb", OZ: "oz", L: "l", FZ: "fl oz" }

export interface ProductDescription {
  department: string
  category: string
  type: string
  size: string
}

/** Spelled out and in sentence case: "SW GDS: SW ROLLS/DAN" -> "Sweet goods: sweet rolls/danish". */
export function readable(text: string): string {
  const spelled = text
    .trim()
    .split(/(\s+|[/&:,()\-])/)
    .map((token) => WORDS[token.toUpperCase()] ?? token.toLowerCase())
    .join("")
    .replace(/\s+/g, " ")
    .trim()
  return spelled.charAt(0).toUpperCase() + spelled.slice(1)
}

function readableSize(size: string): string {
  return size
    .trim()
    .split(/\s+/)
    .map((token) => SIZE_UNITS[token.toUpperCase()] ?? token.toLowerCase())
    .join(" ")
}

const significantWords = (text: string) => new Set(readable(text).toLowerCase().split(/[^a-z]+/).filter((word) => word.length > 3))

/**
 * Commodity then sub-commodity ("Beef: lean, 1 lb"); the sub-commodity alone when it already names the
 * commodity ("Fluid milk white only, 1 gal"). Falls back to the department for products with no description.
 */
export function productTitle(product: ProductDescription): string {
  // "SW GDS: SW ROLLS/DAN": the part after the colon is the product; "VEGETABLES - ALL OTHERS": the commodity is "vegetables".
  const typeText = product.type.split(":").pop()!
  const type = typeText ? readable(typeText) : ""
  const category = product.category ? readable(product.category.replace(/\s*-\s*all( others)?$/i, "")) : ""
  const categoryWords = significantWords(product.category)
  const typeNamesCategory = [...significantWords(typeText)].some((word) => categoryWords.has(word))
  const name = !type ? category || readable(product.department || "Product") : !category || typeNamesCategory ? type : `${category}: ${type.charAt(0).toLowerCase()}${type.slice(1)}`
  return product.size ? `${name}, ${readableSize(product.size)}` : name
}

function hue(text: string): number {
  let h = 0
  for (const char of text) h = (h * 31 + char.charCodeAt(0)) % 360
  return h
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")
}

/** Up to two lines of at most `width` characters, the second shortened with an ellipsis. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [""]
  for (const word of text.split(" ")) {
    const current = lines[lines.length - 1]
    if (!current || current.length + word.length + 1 <= width) lines[lines.length - 1] = current ? `${current} ${word}` : word
    else lines.push(word)
  }
  const [first, ...rest] = lines
  const second = rest.join(" ")
  return second ? [first, second.length > width ? `${second.slice(0, width - 1)}…` : second] : [first]
}

/** A 400x400 picture for a product category: its department's colour, its initials and its name. */
export function categoryImage(department: string, category: string): string {
  const h = hue(department || category)
  const name = readable(category || department || "Product")
  const initials = name
    .split(/[^A-Za-z]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => word[0].toUpperCase())
    .join("")
  const lines = wrap(name, 22)
  const text = lines
    .map((line, i) => `<text x="200" y="${300 + i * 32}" font-size="26" font-weight="600" fill="hsl(${h},45%,18%)" text-anchor="middle">${escapeXml(line)}</text>`)
    .join("")
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400" font-family="Helvetica,Arial,sans-serif">` +
    `<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${h},70%,92%)"/><stop offset="1" stop-color="hsl(${h},60%,76%)"/></linearGradient></defs>` +
    `<rect width="400" height="400" fill="url(#g)"/>` +
    `<circle cx="200" cy="160" r="88" fill="hsl(${h},55%,42%)"/>` +
    `<text x="200" y="186" font-size="72" font-weight="700" fill="#fff" text-anchor="middle">${escapeXml(initials)}</text>` +
    text +
    `<text x="200" y="378" font-size="16" fill="hsl(${h},35%,30%)" text-anchor="middle">${escapeXml(readable(department))}</text>` +
    `</svg>`
  return `data:image/svg+xml;base64,${Buffer.from(svg, "utf8").toString("base64")}`
}
