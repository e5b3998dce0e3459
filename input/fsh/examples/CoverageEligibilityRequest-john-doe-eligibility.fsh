Instance: john-doe-eligibility
InstanceOf: OpenimisCoverageEligibilityRequest
Usage: #example
Title: "Eligibility Enquiry: John Doe"
Description: "Before treating John Doe, Rapta Hospital asks what his policy still covers, and whether paracetamol (0004) and a general consultation (A1) are covered."
* text.status = #generated
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Before treating John Doe, Rapta Hospital asks what his policy still covers, and whether paracetamol (0004) and a general consultation (A1) are covered.</p></div>"
* identifier[UUID].type = OpenimisIdentifiersCS#UUID "UUID unique identifier"
* identifier[UUID].value = "e2a95d3f-7c18-4b06-9f4e-81d6c3a07b5c"
* status = #active
* purpose = #benefits
* patient = Reference(Patient/john-doe) "070707070"
* created = "2025-09-15"
* insurer = Reference(Organization/openIMIS-Implementation)
* item[item].category = CoverageItemCategoryCS#item "Item"
* item[item].productOrService.text = "0004"
* item[service].category = CoverageItemCategoryCS#service "Service"
* item[service].productOrService.text = "A1"
