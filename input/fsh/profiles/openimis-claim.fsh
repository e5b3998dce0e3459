Profile: OpenimisClaim
Parent: Claim
Id: openimis-claim
Title: "openIMIS Claim"
Description: "A claim a health facility submits to openIMIS for the services and medical items it gave an insuree. Submitting it (POST) enters and submits the claim and answers with a ClaimResponse."
* obeys oi-claim-1 and oi-claim-2 and oi-claim-3 and oi-claim-4
* insert OpenimisIdentifierSlicing
* identifier 1..2
* status = #active
* type from ClaimVisitTypeVS (required)
* type ^short = "Visit type: emergency, referral or other"
* subType 0..0
* use = #claim
* patient only Reference(openimis-patient)
* billablePeriod 1..1
* billablePeriod.start 1..1
* billablePeriod.start ^short = "First day of treatment"
* billablePeriod.end ^short = "Last day of treatment (the start day when absent)"
* created ^short = "Date the claim was made"
* enterer 1..1
* enterer only Reference(openimis-claim-administrator-practitioner)
* insurer 0..0
* provider only Reference(openimis-health-facility-organization)
* provider ^short = "Health facility that gave the care"
* priority = $processpriority#normal
* fundsReserve 0..0
* related 0..0
* prescription 0..0
* originalPrescription 0..0
* payee 0..0
* referral 0..0
* facility 0..0
* careTeam 0..0
* supportingInfo ^slicing.discriminator.type = #value
* supportingInfo ^slicing.discriminator.path = "category.coding.code"
* supportingInfo ^slicing.rules = #closed
* supportingInfo ^slicing.description = "Sliced by category: explanation, guarantee number and attachments."
* supportingInfo.category from ClaimSupportingInfoCategoryVS (required)
* supportingInfo.code 0..0
* supportingInfo.timing[x] 0..0
* supportingInfo.value[x] 1..1
* supportingInfo.reason 0..0
* supportingInfo contains
    explanation 0..1 and
    guarantee 0..1 and
    attachment 0..*
* supportingInfo[explanation] ^short = "Free-text explanation of the claim"
* supportingInfo[explanation].category = ClaimSupportingInfoCategoryCS#explanation
* supportingInfo[explanation].value[x] only string
* supportingInfo[guarantee] ^short = "Guarantee (letter) number"
* supportingInfo[guarantee].category = ClaimSupportingInfoCategoryCS#guarantee
* supportingInfo[guarantee].value[x] only string
* supportingInfo[attachment] ^short = "Document attached to the claim"
* supportingInfo[attachment].category = ClaimSupportingInfoCategoryCS#attachment
* supportingInfo[attachment].value[x] only Attachment
* diagnosis 1..5
* diagnosis ^short = "Main diagnosis (sequence 1) and up to four secondary diagnoses"
* diagnosis.diagnosis[x] only CodeableConcept
* diagnosis.diagnosisCodeableConcept from DiagnosisICD10Level1VS (example)
* diagnosis.type 0..0
* diagnosis.onAdmission 0..0
* diagnosis.packageCode 0..0
* procedure 0..0
// R4 makes Claim.insurance 1..*, so "at most one" means exactly one here
* insurance 1..1
* insurance.focal = true
* insurance.identifier 0..0
* insurance.coverage only Reference(openimis-coverage)
* insurance.coverage ^short = "The insuree's policy; a CoverageEligibilityRequest finds it"
* insurance.businessArrangement 0..0
* insurance.preAuthRef 0..0
* insurance.claimResponse 0..0
* accident 0..0
* item 1..*
* item.extension contains claim-item-reference named itemReference 1..1
* item.extension[itemReference] ^short = "The medical item (Medication) or service (ActivityDefinition) billed"
* item.careTeamSequence 0..0
* item.diagnosisSequence 0..0
* item.procedureSequence 0..0
* item.informationSequence 0..0
* item.revenue 0..0
// the backend tells items from services by category.text and sends no coding
* item.category 1..1
* item.category.coding from ClaimItemCategoryVS (required)
* item.category.text 1..1
* item.category.text ^short = "item | service"
* item.productOrService.coding 0..0
* item.productOrService.text 1..1
* item.productOrService.text ^short = "openIMIS code of the item or service"
* item.modifier 0..0
* item.programCode 0..0
* item.serviced[x] 0..0
* item.location[x] 0..0
* item.quantity 1..1
* item.quantity.value 1..1
* item.quantity.unit 0..0
* item.quantity.system 0..0
* item.quantity.code 0..0
* item.unitPrice 1..1
* item.unitPrice.value 1..1
* item.factor 0..0
* item.net 0..0
* item.udi 0..0
* item.bodySite 0..0
* item.subSite 0..0
* item.encounter 0..0
* item.detail 0..0
* total 1..1
* total.value 1..1
* total ^short = "Amount claimed: the sum of quantity x unit price over the items"
