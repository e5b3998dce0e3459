CodeSystem: UsageContextAgeTypeCS
Id: usage-context-age-type
Title: "Age Group"
Description: "Age group (adult or child) a medical item or service applies to."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #adult "Adult"
* #child "Child"
