CodeSystem: OrganizationHfLegalFormCS
Id: organization-hf-legal-form
Title: "Health Facility Legal Form"
Description: "Legal form of a health facility (who owns or runs it). Implementations may extend the list."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #C "Charity"
* #D "District organization"
* #G "Government"
* #P "Private organization"
