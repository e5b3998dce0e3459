ValueSet: ClaimItemCategoryVS
Id: claim-item-category
Title: "Claim Item Category"
Description: "All categories of the openIMIS Claim Item Category code system."
* ^status = #active
* ^experimental = false
* include codes from system ClaimItemCategoryCS
