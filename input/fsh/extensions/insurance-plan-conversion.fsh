Extension: InsurancePlanConversion
Id: insurance-plan-conversion
Title: "Conversion Product (InsurancePlan)"
Description: "The product that takes over from this one: a policy renewed after this product's period has ended is renewed in the referenced product."
* insert ExtensionContext(InsurancePlan)
* value[x] only Reference(openimis-insurance-plan)
