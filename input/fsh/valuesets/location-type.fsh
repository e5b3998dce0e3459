ValueSet: LocationTypeVS
Id: location-type
Title: "Location Level"
Description: "Levels an openIMIS Location can have: the four administrative levels of the openIMIS Location Level code system, plus the HL7 physical type `si` (Site), which the backend uses for the Locations of health facilities."
* ^status = #active
* ^experimental = false
* include codes from system LocationTypeCS
// The backend serves the Locations of health facilities with physicalType si.
* $location-physical-type#si "Site"
