ValueSet: CoverageItemCategoryVS
Id: coverage-item-category
Title: "Eligibility Item Category"
Description: "All categories of the openIMIS Eligibility Item Category code system."
* ^status = #active
* ^experimental = false
* include codes from system CoverageItemCategoryCS
