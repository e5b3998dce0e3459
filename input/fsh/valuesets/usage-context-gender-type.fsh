ValueSet: UsageContextGenderTypeVS
Id: usage-context-gender-type
Title: "Gender a Medical Item or Service Applies To"
Description: "Genders a medical item or service can be restricted to (usage context of type gender)."
* ^status = #active
* ^experimental = false
* $administrative-gender#male "Male"
* $administrative-gender#female "Female"
