ValueSet: CoverageItemCategoryItemServiceVS
Id: coverage-item-category-item-service
Title: "Eligibility Item Category for Items and Services"
Description: "The categories of an eligibility request or response entry that name one medical item or service (the benefit package excluded)."
* ^status = #active
* ^experimental = false
* CoverageItemCategoryCS#item "Item"
* CoverageItemCategoryCS#service "Service"
