Extension: InsurancePlanMaxInstallments
Id: insurance-plan-max-installments
Title: "Maximum Installments (InsurancePlan)"
Description: "The largest number of installments in which the contribution for a policy of this product may be paid."
* insert ExtensionContext(InsurancePlan)
* value[x] 1..1
* value[x] only unsignedInt
