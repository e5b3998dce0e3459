ValueSet: GroupTypeVS
Id: group-type
Title: "Family Type"
Description: "All family types of the openIMIS Family Type code system (this IG's own code system, not the HL7 group-type codes)."
* ^status = #active
* ^experimental = false
// This IG's own family types, not http://hl7.org/fhir/group-type.
* include codes from system GroupTypeCS
