CodeSystem: MedicationLevelCS
Id: medication-level
Title: "Medical Item Level"
Description: "Level of a medical item; openIMIS has a single level for items."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #M "Medication"
