CodeSystem: InsurancePlanCoverageBenefitLimitCS
Id: insurance-plan-coverage-benefit-limit
Title: "Product Limit Type"
Description: "Kinds of limit a product (insurance plan) sets on its coverage."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #period "Period" "How many months a policy of the product lasts."
* #memberCount "Member Count" "Largest number of members a family or group may have under the product."
