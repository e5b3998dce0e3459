CodeSystem: ContractPremiumTypeCS
Id: contract-premium-type
Title: "Contribution Payment Type"
Description: "How a contribution was paid: cash, bank transfer or mobile phone."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #C "Cash"
* #B "Bank Transfer"
* #M "Mobile Phone"
