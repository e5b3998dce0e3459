CodeSystem: ClaimSupportingInfoCategoryCS
Id: claim-supporting-info-category
Title: "Claim Supporting Information Category"
Description: "Kind of supporting information attached to a claim (explanation, justification, attachment, guarantee number)."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #explanation "Explanation"
* #justification "Justification"
* #attachment "Attachment"
* #guarantee "Guarantee"
