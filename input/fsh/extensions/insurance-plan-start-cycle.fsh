Extension: InsurancePlanStartCycle
Id: insurance-plan-start-cycle
Title: "Cycle Start (InsurancePlan)"
Description: "A fixed yearly date (day and month, e.g. \"01-07\") on which policies of the product start. A product with cycle dates has fixed enrolment dates; it has at most four."
* insert ExtensionContext(InsurancePlan)
* value[x] only string
