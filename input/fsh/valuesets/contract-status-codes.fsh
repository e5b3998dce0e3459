ValueSet: ContractStatusCodesVS
Id: contract-status-codes
Title: "Policy Enrolment Status"
Description: "Statuses a policy enrolment (Contract) can have in openIMIS: offered (not yet active) or executed (in force)."
* ^status = #active
* ^experimental = false
* $contract-status#offered "Offered"
* $contract-status#executed "Executed"
