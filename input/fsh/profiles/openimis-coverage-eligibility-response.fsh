Profile: OpenimisCoverageEligibilityResponse
Parent: CoverageEligibilityResponse
Id: openimis-coverage-eligibility-response
Title: "openIMIS Eligibility Response"
Description: "What an insuree is still entitled to: for each active policy, the counts and amounts left in the benefit package and, when asked, whether the item and the service are covered and how many are left."
* obeys oi-elig-1
// the backend builds the answer on the fly and sends no identifier
* insert OpenimisUuidIdentifierSlicing(0..1)
* status = #active
* purpose 1..1
* purpose = #benefits
* patient only Reference(openimis-patient)
* serviced[x] 0..0
* requestor 0..0
* request only Reference(openimis-coverage-eligibility-request)
* outcome = #complete
* disposition 0..0
// the backend names the implementation's insurer, Organization/openIMIS-Implementation
* insurer only Reference(openimis-insurance-organization)
* insurance ^short = "One entry per active policy of the insuree"
* insurance.coverage only Reference(openimis-coverage)
* insurance.inforce 0..0
* insurance.benefitPeriod 1..1
* insurance.benefitPeriod.start 1..1
* insurance.benefitPeriod.start ^short = "Effective date of the policy"
* insurance.benefitPeriod.end 1..1
* insurance.benefitPeriod.end ^short = "Expiry date of the policy"
* insurance.item 1..3
* insurance.item ^slicing.discriminator.type = #value
* insurance.item ^slicing.discriminator.path = "category.coding.code"
* insurance.item ^slicing.rules = #closed
* insurance.item ^slicing.description = "The benefit package, and the item and the service asked about."
* insurance.item.category 1..1
* insurance.item.category from CoverageItemCategoryVS (required)
* insurance.item.modifier 0..0
* insurance.item.provider 0..0
* insurance.item.network 0..0
* insurance.item.unit 0..0
* insurance.item.term 0..0
* insurance.item.authorizationRequired 0..0
* insurance.item.authorizationSupporting 0..0
* insurance.item.authorizationUrl 0..0
* insurance.item.benefit.used[x] 0..0
* insurance.item contains
    benefit 1..1 and
    item 0..1 and
    service 0..1
* insurance.item[benefit] ^short = "What is left in the benefit package of the policy's product"
* insurance.item[benefit].category = CoverageItemCategoryCS#benefit
* insurance.item[benefit].productOrService 0..0
* insurance.item[benefit].excluded 0..0
* insurance.item[benefit].name 1..1
* insurance.item[benefit].name ^short = "Product name"
* insurance.item[benefit].description 1..1
* insurance.item[benefit].description ^short = "Product code"
* insurance.item[benefit].benefit 0..11
* insurance.item[benefit].benefit ^slicing.discriminator.type = #type
* insurance.item[benefit].benefit ^slicing.discriminator.path = "allowed"
* insurance.item[benefit].benefit ^slicing.rules = #closed
* insurance.item[benefit].benefit ^slicing.description = "Counts left (unsignedInt) and amounts left (Money)."
* insurance.item[benefit].benefit contains
    total 0..6 and
    amount 0..5
* insurance.item[benefit].benefit[total] ^short = "Number of admissions, visits, consultations, surgeries, deliveries or antenatal care left"
* insurance.item[benefit].benefit[total].type from CoverageItemBenefitTypeTotalLeftVS (required)
* insurance.item[benefit].benefit[total].allowed[x] 1..1
* insurance.item[benefit].benefit[total].allowed[x] only unsignedInt
* insurance.item[benefit].benefit[amount] ^short = "Amount left for consultations, surgeries, deliveries, hospitalization or antenatal care"
* insurance.item[benefit].benefit[amount].type from CoverageItemBenefitTypeAmountLeftVS (required)
* insurance.item[benefit].benefit[amount].allowed[x] 1..1
* insurance.item[benefit].benefit[amount].allowed[x] only Money
* insurance.item[benefit].benefit[amount].allowedMoney.value 1..1
* insurance.item[item] ^short = "Coverage of the medical item asked about"
* insurance.item[item].category = CoverageItemCategoryCS#item
* insurance.item[item] insert EligibilityItemCoverage
* insurance.item[service] ^short = "Coverage of the medical service asked about"
* insurance.item[service].category = CoverageItemCategoryCS#service
* insurance.item[service] insert EligibilityItemCoverage
* preAuthRef 0..0
* form 0..0
* error 0..0

// Shape shared by the item and service entries of an eligibility response.
// R4 allows a category or a productOrService on an entry, not both (ces-1); the category tells item from
// service, so the code asked about goes in `name`.
RuleSet: EligibilityItemCoverage
* productOrService 0..0
* name 1..1
* name ^short = "openIMIS code of the item or service asked about"
* excluded 1..1
* excluded ^short = "True when the policy's product does not cover it"
* benefit 0..2
* benefit ^slicing.discriminator.type = #value
* benefit ^slicing.discriminator.path = "type.coding.code"
* benefit ^slicing.rules = #closed
* benefit ^slicing.description = "Earliest date it may be given again, and how many are left."
* benefit.type from CoverageItemBenefitTypeVS (required)
* benefit contains
    minDate 0..1 and
    itemLeft 0..1
* benefit[minDate].type = CoverageItemBenefitTypeCS#min_date_item
* benefit[minDate].allowed[x] 1..1
* benefit[minDate].allowed[x] only string
* benefit[itemLeft].type = CoverageItemBenefitTypeCS#item_left
* benefit[itemLeft].allowed[x] 1..1
* benefit[itemLeft].allowed[x] only unsignedInt
