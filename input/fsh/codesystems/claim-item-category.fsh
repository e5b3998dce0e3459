CodeSystem: ClaimItemCategoryCS
Id: claim-item-category
Title: "Claim Item Category"
Description: "Whether a line of a claim is a medical item or a medical service."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #item "Item"
* #service "Service"
