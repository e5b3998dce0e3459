CodeSystem: ContractResourcePartyRoleCS
Id: contract-resource-party-role
Title: "Policy Party Role"
Description: "Role of a party in the terms of a policy enrolment."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #beneficiary "Beneficiary"
