CodeSystem: ActivityDefinitionServiceTypeCS
Id: activity-definition-service-type
Title: "Medical Service Type"
Description: "Whether a medical service is curative or preventive."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #C "Curative"
* #P "Preventive"
