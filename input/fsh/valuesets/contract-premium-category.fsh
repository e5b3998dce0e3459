ValueSet: ContractPremiumCategoryVS
Id: contract-premium-category
Title: "Contribution Category"
Description: "All categories of the openIMIS Contribution Category code system."
* ^status = #active
* ^experimental = false
* include codes from system ContractPremiumCategoryCS
