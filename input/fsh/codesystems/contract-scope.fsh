CodeSystem: ContractScopeCS
Id: contract-scope
Title: "Policy Sector"
Description: "Whether a policy enrolment belongs to the formal sector (through a policy holder) or the informal sector (a family)."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #formal "Formal Sector"
* #informal "Informal Sector"
