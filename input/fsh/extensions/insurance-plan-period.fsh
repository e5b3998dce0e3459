Extension: InsurancePlanPeriod
Id: insurance-plan-period
Title: "Period in Months (InsurancePlan)"
Description: "A duration in months used by a product rule: the administration period or one of the grace periods (payment, renewal, enrolment). The profile's extension slice says which rule it is."
* insert ExtensionContext(InsurancePlan)
* value[x] only Quantity
* valueQuantity.value 1..1
* valueQuantity.unit = "months"
