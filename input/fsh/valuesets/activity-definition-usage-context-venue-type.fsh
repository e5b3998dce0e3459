ValueSet: ActivityDefinitionUsageContextVenueTypeVS
Id: activity-definition-usage-context-venue-type
Title: "Care Type of a Medical Service"
Description: "Whether a medical service or item applies to out-patient (ambulatory) or in-patient care."
* ^status = #active
* ^experimental = false
* $v3-ActCode#AMB "ambulatory"
* $v3-ActCode#IMP "inpatient encounter"
