ValueSet: ClaimSupportingInfoCategoryVS
Id: claim-supporting-info-category
Title: "Claim Supporting Information Category"
Description: "All categories of the openIMIS Claim Supporting Information Category code system."
* ^status = #active
* ^experimental = false
* include codes from system ClaimSupportingInfoCategoryCS
