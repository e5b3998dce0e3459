ValueSet: GroupConfirmationTypeVS
Id: group-confirmation-type
Title: "Family Confirmation Type"
Description: "All confirmation types of the openIMIS Family Confirmation Type code system."
* ^status = #active
* ^experimental = false
* include codes from system GroupConfirmationTypeCS
