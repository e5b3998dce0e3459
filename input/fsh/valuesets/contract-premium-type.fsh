ValueSet: ContractPremiumTypeVS
Id: contract-premium-type
Title: "Contribution Payment Type"
Description: "All payment types of the openIMIS Contribution Payment Type code system."
* ^status = #active
* ^experimental = false
* include codes from system ContractPremiumTypeCS
