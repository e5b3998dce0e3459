CodeSystem: ActivityDefinitionUsageContextWorkflowTypeCS
Id: activity-definition-usage-context-workflow-type
Title: "Medical Service Category"
Description: "Category of care a medical service counts towards (surgery, consultation, delivery, antenatal care, other). Product limits are checked per category."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #S "Surgery"
* #C "Consultations"
* #D "Delivery"
* #A "Antenatal"
* #O "Other"
