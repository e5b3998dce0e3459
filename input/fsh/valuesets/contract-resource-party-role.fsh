ValueSet: ContractResourcePartyRoleVS
Id: contract-resource-party-role
Title: "Policy Party Role"
Description: "All roles of the openIMIS Policy Party Role code system."
* ^status = #active
* ^experimental = false
* include codes from system ContractResourcePartyRoleCS
