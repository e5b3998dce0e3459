Instance: CoverageEligibilityResponse-john-doe-eligibility
InstanceOf: OpenimisCoverageEligibilityResponse
Usage: #example
Title: "Eligibility Response: John Doe"
Description: "The answer to John Doe's enquiry: under the Doe family policy (product RX01) he has visits, consultations and consultation money left, and both paracetamol and the general consultation are covered."
* text.status = #generated
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>The answer to John Doe's enquiry: under the Doe family policy (product RX01) he has visits, consultations and consultation money left, and both paracetamol and the general consultation are covered.</p></div>"
* id = "john-doe-eligibility"
* status = #active
* purpose = #benefits
* patient = Reference(Patient/john-doe) "070707070"
* created = "2025-09-15"
* request = Reference(CoverageEligibilityRequest/john-doe-eligibility)
* outcome = #complete
* insurer = Reference(Organization/openIMIS-Implementation)
* insurance[0].coverage = Reference(Coverage/doe-family-coverage)
* insurance[0].benefitPeriod.start = "2025-01-01"
* insurance[0].benefitPeriod.end = "2025-12-31"
* insurance[0].item[benefit].category = CoverageItemCategoryCS#benefit "Benefit Package"
* insurance[0].item[benefit].name = "Basic Health Cover"
* insurance[0].item[benefit].description = "RX01"
* insurance[0].item[benefit].benefit[total][0].type = CoverageItemBenefitTypeCS#visits_left "total_visits"
* insurance[0].item[benefit].benefit[total][0].allowedUnsignedInt = 11
* insurance[0].item[benefit].benefit[total][1].type = CoverageItemBenefitTypeCS#consultations_left "total_consultations"
* insurance[0].item[benefit].benefit[total][1].allowedUnsignedInt = 5
* insurance[0].item[benefit].benefit[amount][0].type = CoverageItemBenefitTypeCS#consultation_amount "consultation_amount"
* insurance[0].item[benefit].benefit[amount][0].allowedMoney.value = 2000.00
* insurance[0].item[item].category = CoverageItemCategoryCS#item "Item"
* insurance[0].item[item].name = "0004"
* insurance[0].item[item].excluded = false
* insurance[0].item[item].benefit[itemLeft].type = CoverageItemBenefitTypeCS#item_left "Items left"
* insurance[0].item[item].benefit[itemLeft].allowedUnsignedInt = 20
* insurance[0].item[service].category = CoverageItemCategoryCS#service "Service"
* insurance[0].item[service].name = "A1"
* insurance[0].item[service].excluded = false
* insurance[0].item[service].benefit[itemLeft].type = CoverageItemBenefitTypeCS#item_left "Items left"
* insurance[0].item[service].benefit[itemLeft].allowedUnsignedInt = 4
