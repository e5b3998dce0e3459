CodeSystem: ContractPremiumCategoryCS
Id: contract-premium-category
Title: "Contribution Category"
Description: "What a contribution paid for a policy covers: the contribution itself (and other costs) or the photo fee."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #C "Contribution and Others"
* #P "Photo Fee"
