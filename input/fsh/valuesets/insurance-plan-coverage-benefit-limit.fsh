ValueSet: InsurancePlanCoverageBenefitLimitVS
Id: insurance-plan-coverage-benefit-limit
Title: "Product Limit Type"
Description: "All limit types of the openIMIS Product Limit Type code system."
* ^status = #active
* ^experimental = false
* include codes from system InsurancePlanCoverageBenefitLimitCS
