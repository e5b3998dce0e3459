CodeSystem: PatientContactRelationshipCS
Id: patient-contact-relationship
Title: "Relationship to the Head of Family"
Description: "How an insuree is related to the head of their family or household in openIMIS."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #1 "Brother/Sister"
* #2 "Father/Mother"
* #3 "Uncle/Aunt"
* #4 "Son/Daughter"
* #5 "Grand parents"
* #6 "Employee"
* #7 "Others"
* #8 "Spouse"
