CodeSystem: GroupTypeCS
Id: group-type
Title: "Family Type"
Description: "Kind of family or group of insurees in openIMIS (household, council, students, ...). Implementations may extend the list."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #C "Council"
* #G "Organization"
* #H "Household"
* #O "Other"
* #P "Priests"
* #S "Students"
* #T "Teachers"
