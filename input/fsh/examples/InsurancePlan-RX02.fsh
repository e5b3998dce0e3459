Instance: RX02
InstanceOf: OpenimisInsurancePlan
Usage: #example
Title: "Product: Extended Health Cover (RX02)"
Description: "The product RX02, sold in the district Rapta with fixed enrolment dates (1 January and 1 July): 12 months of medical cover for families of up to ten members, priced as one lump sum plus per-family registration and general assembly fees, payable in up to three installments."
* text.status = #generated
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>The product RX02, sold in the district Rapta with fixed enrolment dates (1 January and 1 July): 12 months of medical cover for families of up to ten members, priced as one lump sum plus per-family registration and general assembly fees, payable in up to three installments.</p></div>"
* extension[maxInstallments].valueUnsignedInt = 3
* extension[startCycle][0].valueString = "01-01"
* extension[startCycle][1].valueString = "01-07"
* identifier[Code].type = OpenimisIdentifiersCS#Code "Unique code"
* identifier[Code].value = "RX02"
* identifier[UUID].type = OpenimisIdentifiersCS#UUID "UUID unique identifier"
* identifier[UUID].value = "d7a3f1c9-6e2b-4d85-9a0c-4b8e2f6d1c73"
* status = #active
* type = $insurance-plan-type#medical "Medical"
* name = "Extended Health Cover"
* period.start = "2026-01-01"
* period.end = "2030-12-31"
* coverageArea = Reference(Location/rapta-district) "Rapta"
* coverage.type = $insurance-plan-type#medical "Medical"
* coverage.benefit.type = $insurance-plan-type#medical "Medical"
* coverage.benefit.limit[period].value = 12 'mo' "months"
* coverage.benefit.limit[period].code = InsurancePlanCoverageBenefitLimitCS#period "Period"
* coverage.benefit.limit[memberCount].value.value = 10
* coverage.benefit.limit[memberCount].value.unit = "members"
* coverage.benefit.limit[memberCount].code = InsurancePlanCoverageBenefitLimitCS#memberCount "Member Count"
* plan.generalCost[lumpsum].type = InsurancePlanGeneralCostTypeCS#lumpsum "Lumpsum"
* plan.generalCost[lumpsum].groupSize = 10
* plan.generalCost[lumpsum].cost.value = 180.00
* plan.generalCost[lumpsum].cost.currency = #EUR
* plan.generalCost[registrationLumpsum].type = InsurancePlanGeneralCostTypeCS#registrationLumpsum "Registration Lumpsum"
* plan.generalCost[registrationLumpsum].cost.value = 10.00
* plan.generalCost[registrationLumpsum].cost.currency = #EUR
* plan.generalCost[generalAssemblyLumpSum].type = InsurancePlanGeneralCostTypeCS#generalAssemblyLumpSum "General Assembly Lump Sum"
* plan.generalCost[generalAssemblyLumpSum].cost.value = 5.00
* plan.generalCost[generalAssemblyLumpSum].cost.currency = #EUR
