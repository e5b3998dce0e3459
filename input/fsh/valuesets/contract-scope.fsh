ValueSet: ContractScopeVS
Id: contract-scope
Title: "Policy Sector"
Description: "All sectors of the openIMIS Policy Sector code system."
* ^status = #active
* ^experimental = false
* include codes from system ContractScopeCS
