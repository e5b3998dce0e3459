CodeSystem: MedicationItemTypeCS
Id: medication-item-type
Title: "Medical Item Type"
Description: "Whether a medical item is a drug or a medical consumable."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #D "Drug"
* #M "Medical consumable"
