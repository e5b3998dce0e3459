CodeSystem: OpenimisIdentifiersCS
Id: openimis-identifiers
Title: "openIMIS Identifier Types"
Description: "Types of the business and technical identifiers that openIMIS puts in `identifier.type` of its resources. The IG profiles slice identifiers on these codes (`Code` and `UUID`); the other codes are the ones the openIMIS backend also emits by default."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
// UUID and Code are the identifier slices of the profiles; the other codes are the backend defaults.
* #UUID "UUID unique identifier" "The UUID (version 4) that openIMIS generates for the record."
* #Code "Unique code" "The business code the implementation gives to the record (e.g. the insurance number of an insuree or the code of a health facility)."
* #ACSN "Database identifier (accession id)" "The internal numeric database id of the record."
* #SB "Social beneficiary identifier (insurance number, CHFID)" "The insurance number of an insuree."
* #PPN "Passport number" "The passport number of an insuree."
* #FI "Health facility identifier" "The code of a health facility."
* #FILL "Claim administrator code (filler identifier)" "The code of the claim administrator who entered the claim."
* #MR "Claim code (medical record number)" "The code the health facility gives to a claim."
* #LC "Location code" "The code of a location (region, district, municipality or village)."
* #DC "Diagnosis code" "The code of a diagnosis."
* #IC "Medical item code" "The code of a medical item (medication or consumable)."
* #SC "Medical service code" "The code of a medical service."
