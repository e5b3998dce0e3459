ValueSet: CoverageStatusVS
Id: coverage-status
Title: "Policy Status"
Description: "Statuses a policy (Coverage) can have in openIMIS."
* ^status = #active
* ^experimental = false
* $fm-status#active "Active"
* $fm-status#cancelled "Cancelled"
* $fm-status#draft "Draft"
