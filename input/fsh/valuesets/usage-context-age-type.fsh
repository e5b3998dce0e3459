ValueSet: UsageContextAgeTypeVS
Id: usage-context-age-type
Title: "Age Group"
Description: "All age groups of the openIMIS Age Group code system."
* ^status = #active
* ^experimental = false
* include codes from system UsageContextAgeTypeCS
