ValueSet: MedicationLevelVS
Id: medication-level
Title: "Medical Item Level"
Description: "All levels of the openIMIS Medical Item Level code system."
* ^status = #active
* ^experimental = false
* include codes from system MedicationLevelCS
