Instance: RX01
InstanceOf: OpenimisInsurancePlan
Usage: #example
Title: "Product: Basic Health Cover (RX01)"
Description: "The product RX01, sold in the region Ultha: 12 months of medical cover for families of up to six members, priced as a lump sum for up to four members plus a premium per additional adult or child and a registration fee per member. Renewals after the product's end move to RX02."
* text.status = #generated
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>The product RX01, sold in the region Ultha: 12 months of medical cover for families of up to six members, priced as a lump sum for up to four members plus a premium per additional adult or child and a registration fee per member. Renewals after the product's end move to RX02.</p></div>"
* extension[conversion].valueReference = Reference(InsurancePlan/RX02) "Extended Health Cover"
* extension[maxInstallments].valueUnsignedInt = 2
* identifier[Code].type = OpenimisIdentifiersCS#Code "Unique code"
* identifier[Code].value = "RX01"
* identifier[UUID].type = OpenimisIdentifiersCS#UUID "UUID unique identifier"
* identifier[UUID].value = "8f2c6a4e-3d1b-4e9f-b7a5-1c0e8d6f2a39"
* status = #active
* type = $insurance-plan-type#medical "Medical"
* name = "Basic Health Cover"
* period.start = "2025-01-01"
* period.end = "2026-12-31"
* coverageArea = Reference(Location/ultha-region) "Ultha"
* coverage.type = $insurance-plan-type#medical "Medical"
* coverage.benefit.type = $insurance-plan-type#medical "Medical"
* coverage.benefit.limit[period].value = 12 'mo' "months"
* coverage.benefit.limit[period].code = InsurancePlanCoverageBenefitLimitCS#period "Period"
* coverage.benefit.limit[memberCount].value.value = 6
* coverage.benefit.limit[memberCount].value.unit = "members"
* coverage.benefit.limit[memberCount].code = InsurancePlanCoverageBenefitLimitCS#memberCount "Member Count"
* plan.generalCost[lumpsum].type = InsurancePlanGeneralCostTypeCS#lumpsum "Lumpsum"
* plan.generalCost[lumpsum].groupSize = 4
* plan.generalCost[lumpsum].cost.value = 100.00
* plan.generalCost[lumpsum].cost.currency = #EUR
* plan.generalCost[premiumAdult].type = InsurancePlanGeneralCostTypeCS#premiumAdult "Premium Adult"
* plan.generalCost[premiumAdult].cost.value = 30.00
* plan.generalCost[premiumAdult].cost.currency = #EUR
* plan.generalCost[premiumChild].type = InsurancePlanGeneralCostTypeCS#premiumChild "Premium Child"
* plan.generalCost[premiumChild].cost.value = 15.00
* plan.generalCost[premiumChild].cost.currency = #EUR
* plan.generalCost[registrationFee].type = InsurancePlanGeneralCostTypeCS#registrationFee "Registration Fee"
* plan.generalCost[registrationFee].cost.value = 5.00
* plan.generalCost[registrationFee].cost.currency = #EUR
// the product's periods, in months, in the order the profile gives them: administration, payment grace,
// renewal grace, enrolment grace
* extension[period][0].valueQuantity = 1 'mo' "months"
* extension[period][1].valueQuantity = 2 'mo' "months"
* extension[period][2].valueQuantity = 1 'mo' "months"
* extension[period][3].valueQuantity = 1 'mo' "months"
// 10 % off for families renewing within a month of the end of their policy
* extension[discount][0].extension[Percentage].valueDecimal = 10
* extension[discount][0].extension[Period].valueQuantity = 1 'mo' "months"
