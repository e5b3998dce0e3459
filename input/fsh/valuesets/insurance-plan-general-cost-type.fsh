ValueSet: InsurancePlanGeneralCostTypeVS
Id: insurance-plan-general-cost-type
Title: "Product Cost Type"
Description: "All cost types of the openIMIS Product Cost Type code system."
* ^status = #active
* ^experimental = false
* include codes from system InsurancePlanGeneralCostTypeCS
