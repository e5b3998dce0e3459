ValueSet: MedicationItemTypeVS
Id: medication-item-type
Title: "Medical Item Type"
Description: "All types of the openIMIS Medical Item Type code system."
* ^status = #active
* ^experimental = false
* include codes from system MedicationItemTypeCS
