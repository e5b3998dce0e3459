ValueSet: InsurancePlanPublicationStatusVS
Id: insurance-plan-publication-status
Title: "Product Status"
Description: "Statuses an openIMIS product (insurance plan) can have."
* ^status = #active
* ^experimental = false
* $publication-status#draft "Draft"
* $publication-status#active "Active"
* $publication-status#retired "Retired"
