CodeSystem: CoverageItemCategoryCS
Id: coverage-item-category
Title: "Eligibility Item Category"
Description: "Category of an entry in an eligibility (enquiry) response: a medical item, a medical service or the benefit package."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #item "Item"
* #service "Service"
* #benefit "Benefit Package"
