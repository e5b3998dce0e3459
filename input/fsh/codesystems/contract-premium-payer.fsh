CodeSystem: ContractPremiumPayerCS
Id: contract-premium-payer
Title: "Contribution Payer"
Description: "Who paid a contribution. Implementations add their own payers, matching the payer list of their openIMIS database."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #beneficiary "Beneficiary"
