Profile: OpenimisCoverageEligibilityRequest
Parent: CoverageEligibilityRequest
Id: openimis-coverage-eligibility-request
Title: "openIMIS Eligibility Enquiry"
Description: "Asks what an insuree is still entitled to under the active policies, optionally for one medical item and one medical service. Only POST is supported; the answer is an openIMIS Eligibility Response and nothing is stored."
* insert OpenimisUuidIdentifierSlicing(1..1)
* identifier[UUID] ^short = "UUID the calling system gives the enquiry"
* status = #active
* priority 0..0
* purpose = #benefits
* patient only Reference(openimis-patient)
* patient ^short = "The insuree, referenced as Patient/<insurance number>"
* serviced[x] 0..0
* enterer 0..0
* provider 0..0
* insurer only Reference(openimis-insurance-organization)
* facility 0..0
* supportingInfo 0..0
* insurance 0..0
* item 0..2
* item ^slicing.discriminator.type = #value
* item ^slicing.discriminator.path = "category.coding.code"
* item ^slicing.rules = #closed
* item ^slicing.description = "At most one medical item and one medical service."
* item.supportingInfoSequence 0..0
* item.category 1..1
* item.category from CoverageItemCategoryItemServiceVS (required)
* item.productOrService 1..1
* item.productOrService.coding 0..0
* item.productOrService.text 1..1
* item.productOrService.text ^short = "openIMIS code of the item or service"
* item.modifier 0..0
* item.provider 0..0
* item.quantity 0..0
* item.unitPrice 0..0
* item.facility 0..0
* item.diagnosis 0..0
* item.detail 0..0
* item contains
    item 0..1 and
    service 0..1
* item[item].category = CoverageItemCategoryCS#item
* item[service].category = CoverageItemCategoryCS#service
