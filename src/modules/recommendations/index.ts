import { Module } from "@medusajs/framework/utils"
import RecommendationsModuleService from "./service"

export const RECOMMENDATIONS_MODULE = "upliftRecommendations"

export default Module(RECOMMENDATIONS_MODULE, {
  service: RecommendationsModuleService,
})

export { RecommendationsModuleService }
