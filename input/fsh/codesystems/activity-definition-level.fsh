CodeSystem: ActivityDefinitionLevelCS
Id: activity-definition-level
Title: "Medical Service Level"
Description: "Level of care a medical service represents (simple service, visit, day of stay, hospital case)."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #S "Simple Service"
* #V "Visit"
* #D "Day of stay"
* #H "Hospital case"
