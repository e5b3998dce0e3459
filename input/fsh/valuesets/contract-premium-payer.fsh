ValueSet: ContractPremiumPayerVS
Id: contract-premium-payer
Title: "Contribution Payer"
Description: "All payers of the openIMIS Contribution Payer code system."
* ^status = #active
* ^experimental = false
* include codes from system ContractPremiumPayerCS
