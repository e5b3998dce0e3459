ValueSet: ActivityDefinitionUsageContextTypeVS
Id: activity-definition-usage-context-type
Title: "Usage Context Type of a Medical Service"
Description: "Kinds of usage context a medical service or item carries: gender, age group, care category (workflow) and care type (venue)."
* ^status = #active
* ^experimental = false
* $usage-context-type#gender "Gender"
* $usage-context-type#age "Age Range"
* $usage-context-type#workflow "Workflow Setting"
* $usage-context-type#venue "Clinical Venue"
