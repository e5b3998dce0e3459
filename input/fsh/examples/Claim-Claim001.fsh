Instance: Claim001
InstanceOf: OpenimisClaim
Usage: #example
Title: "Claim: John Doe at Rapta Hospital"
Description: "Rapta Hospital claims one general consultation (A1, 40 EUR) and ten paracetamol tablets (0004, 0.50 EUR each) given to John Doe for a headache: 45 EUR in total."
* text.status = #generated
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Rapta Hospital claims one general consultation (A1, 40 EUR) and ten paracetamol tablets (0004, 0.50 EUR each) given to John Doe for a headache: 45 EUR in total.</p></div>"
* identifier[Code].type = OpenimisIdentifiersCS#Code "Unique code"
* identifier[Code].value = "Claim001"
* identifier[UUID].type = OpenimisIdentifiersCS#UUID "UUID unique identifier"
* identifier[UUID].value = "3f6c2a8e-91d4-4b7a-8e25-6d0b4c7f1a92"
* status = #active
* type = ClaimVisitTypeCS#O "Other"
* use = #claim
* patient = Reference(Patient/john-doe) "070707070"
* billablePeriod.start = "2025-09-15"
* billablePeriod.end = "2025-09-15"
* created = "2025-09-16"
* enterer = Reference(Practitioner/ca-amina-rapta) "CA0001"
* provider = Reference(Organization/rapta-hospital) "RHOS0001"
* priority = $processpriority#normal "Normal"
* supportingInfo[explanation].sequence = 1
* supportingInfo[explanation].category = ClaimSupportingInfoCategoryCS#explanation "Explanation"
* supportingInfo[explanation].valueString = "Headache for three days; seen by the doctor and given paracetamol."
* supportingInfo[guarantee].sequence = 2
* supportingInfo[guarantee].category = ClaimSupportingInfoCategoryCS#guarantee "Guarantee"
* supportingInfo[guarantee].valueString = "GN-2025-0915"
* diagnosis[0].sequence = 1
* diagnosis[0].diagnosisCodeableConcept = DiagnosisICD10Level1CS#R51 "Headache"
* insurance.sequence = 1
* insurance.focal = true
* insurance.coverage = Reference(Coverage/doe-family-coverage)
* item[0].extension[itemReference].valueReference = Reference(ActivityDefinition/general-consultation) "A1"
* item[0].sequence = 1
* item[0].category = ClaimItemCategoryCS#service "Service"
* item[0].category.text = "service"
* item[0].productOrService.text = "A1"
* item[0].quantity.value = 1
* item[0].unitPrice.value = 40.00
* item[0].unitPrice.currency = #EUR
* item[1].extension[itemReference].valueReference = Reference(Medication/paracetamol-500) "0004"
* item[1].sequence = 2
* item[1].category = ClaimItemCategoryCS#item "Item"
* item[1].category.text = "item"
* item[1].productOrService.text = "0004"
* item[1].quantity.value = 10
* item[1].unitPrice.value = 0.50
* item[1].unitPrice.currency = #EUR
* total.value = 45.00
* total.currency = #EUR
