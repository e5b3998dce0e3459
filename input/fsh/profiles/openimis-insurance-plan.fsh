Profile: OpenimisInsurancePlan
Parent: InsurancePlan
Id: openimis-insurance-plan
Title: "openIMIS Product (InsurancePlan)"
Description: "An openIMIS insurance product: where and when it is sold, what it covers, what a policy costs and the rules for enrolment, renewal and payment."
* extension contains
    insurance-plan-conversion named conversion 0..1 and
    insurance-plan-max-installments named maxInstallments 1..1 and
    insurance-plan-start-cycle named startCycle 0..4 and
    insurance-plan-period named period 0..4 and
    insurance-plan-discount named discount 0..2
* extension[conversion] ^short = "Product that replaces this one for renewals after its period ends"
* extension[maxInstallments] ^short = "Maximum number of installments for paying a contribution"
* extension[startCycle] ^short = "Fixed yearly start dates of policies (day-month), at most four"
// 1.0.0 had four period slices and two discount slices sharing one extension URL each, which no
// validator can tell apart. They are one slice each here, read by position, so real payloads stay valid.
* extension[period] ^short = "Product periods in months, in this order: administration, payment grace, renewal grace, enrolment grace"
* extension[period] ^comment = "The administration period is added to the enrolment or renewal date to get the policy start date; a policy may stay not fully paid for the payment grace period; renewals and enrolments within their grace period after a cycle start still join that cycle."
* extension[discount] ^short = "Discounts, in this order: on renewal, on enrolment"
* insert OpenimisIdentifierSlicing
* status 1..1
* status from InsurancePlanPublicationStatusVS (required)
* type 1..1
* type from InsurancePlanCoverageTypeVS (required)
* type ^short = "Kind of product; openIMIS products are medical"
* name 1..1
* alias 0..0
* period 1..1
* period.start 1..1
* period.end 1..1
* period ^short = "Dates between which the product can be sold"
* ownedBy 0..0
* administeredBy 0..0
* coverageArea 1..1
* coverageArea only Reference(openimis-location)
* coverageArea ^short = "The region or district where the product is sold"
* contact 0..0
* endpoint 0..0
* network 0..0
* coverage 1..1
* coverage.type from InsurancePlanCoverageTypeVS (required)
* coverage.network 0..0
* coverage.benefit 1..1
* coverage.benefit.type from InsurancePlanCoverageTypeVS (required)
* coverage.benefit.requirement 0..0
* coverage.benefit.limit 1..2
* coverage.benefit.limit ^slicing.discriminator.type = #value
* coverage.benefit.limit ^slicing.discriminator.path = "code.coding.code"
* coverage.benefit.limit ^slicing.rules = #closed
* coverage.benefit.limit ^slicing.description = "Sliced by limit code: insurance period and member count."
* coverage.benefit.limit.value 1..1
* coverage.benefit.limit.code 1..1
* coverage.benefit.limit.code from InsurancePlanCoverageBenefitLimitVS (required)
* coverage.benefit.limit contains
    period 1..1 and
    memberCount 0..1
* coverage.benefit.limit[period] ^short = "Insurance period: months a policy covers its insurees"
* coverage.benefit.limit[period].code = InsurancePlanCoverageBenefitLimitCS#period
* coverage.benefit.limit[memberCount] ^short = "Maximum number of members of a family (group) under one policy"
* coverage.benefit.limit[memberCount].code = InsurancePlanCoverageBenefitLimitCS#memberCount
* plan 1..1
* plan.identifier 0..0
* plan.type 0..0
* plan.coverageArea 0..0
* plan.network 0..0
// 1..* on purpose: the published 1..1 contradicts the slices below (and the RX01 example).
* plan.generalCost 1..*
* plan.generalCost ^slicing.discriminator.type = #value
* plan.generalCost ^slicing.discriminator.path = "type.coding.code"
* plan.generalCost ^slicing.rules = #closed
* plan.generalCost ^slicing.description = "Sliced by cost type: one entry per kind of contribution or fee."
* plan.generalCost.type 1..1
* plan.generalCost.type from InsurancePlanGeneralCostTypeVS (required)
* plan.generalCost.cost 1..1
* plan.generalCost.comment 0..0
* plan.generalCost contains
    lumpsum 1..1 and
    premiumAdult 0..1 and
    premiumChild 0..1 and
    registrationLumpsum 0..1 and
    registrationFee 0..1 and
    generalAssemblyLumpSum 0..1 and
    generalAssemblyFee 0..1
* plan.generalCost[lumpsum] ^short = "Contribution for a family of up to groupSize members"
* plan.generalCost[lumpsum].type = InsurancePlanGeneralCostTypeCS#lumpsum
* plan.generalCost[lumpsum].groupSize 1..1
* plan.generalCost[lumpsum].groupSize ^short = "Number of members the lump sum covers"
* plan.generalCost[premiumAdult] ^short = "Contribution per additional adult member"
* plan.generalCost[premiumAdult].type = InsurancePlanGeneralCostTypeCS#premiumAdult
* plan.generalCost[premiumAdult].groupSize 0..0
* plan.generalCost[premiumChild] ^short = "Contribution per additional child member"
* plan.generalCost[premiumChild].type = InsurancePlanGeneralCostTypeCS#premiumChild
* plan.generalCost[premiumChild].groupSize 0..0
* plan.generalCost[registrationLumpsum] ^short = "Registration fee per family"
* plan.generalCost[registrationLumpsum].type = InsurancePlanGeneralCostTypeCS#registrationLumpsum
* plan.generalCost[registrationLumpsum].groupSize 0..0
* plan.generalCost[registrationFee] ^short = "Registration fee per member"
* plan.generalCost[registrationFee].type = InsurancePlanGeneralCostTypeCS#registrationFee
* plan.generalCost[registrationFee].groupSize 0..0
* plan.generalCost[generalAssemblyLumpSum] ^short = "General assembly fee per family"
* plan.generalCost[generalAssemblyLumpSum].type = InsurancePlanGeneralCostTypeCS#generalAssemblyLumpSum
* plan.generalCost[generalAssemblyLumpSum].groupSize 0..0
* plan.generalCost[generalAssemblyFee] ^short = "General assembly fee per member"
* plan.generalCost[generalAssemblyFee].type = InsurancePlanGeneralCostTypeCS#generalAssemblyFee
* plan.generalCost[generalAssemblyFee].groupSize 0..0
* plan.specificCost 0..0
