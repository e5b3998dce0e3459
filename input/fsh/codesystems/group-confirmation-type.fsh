CodeSystem: GroupConfirmationTypeCS
Id: group-confirmation-type
Title: "Family Confirmation Type"
Description: "Authority that confirmed a family, for instance for poverty status. Implementations may extend the list."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #A "Local council"
* #B "Municipality"
* #C "State"
* #D "Other"
