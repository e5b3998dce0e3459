Extension: InsurancePlanDiscount
Id: insurance-plan-discount
Title: "Discount (InsurancePlan)"
Description: "A discount on the contribution of a policy, for enrolment or for renewal: a percentage off the price, granted to enrolments or renewals made within the discount period, a number of months."
* insert ExtensionContext(InsurancePlan)
* extension contains
    Percentage 0..1 and
    Period 0..1
* extension[Percentage] ^short = "Discount, in percent of the contribution"
* extension[Percentage].value[x] only decimal
* extension[Period] ^short = "Months within which the discount applies"
* extension[Period].value[x] only Quantity
* extension[Period].valueQuantity.value 1..1
* extension[Period].valueQuantity.unit = "months"
