CodeSystem: LocationTypeCS
Id: location-type
Title: "Location Level"
Description: "Level of an administrative location in the openIMIS location hierarchy: region, district, municipality/ward and village."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #R "Region" "Top administrative level."
* #D "District" "Administrative level below a region."
* #W "Municipality/Ward" "Administrative level below a district."
* #V "City/Village" "Lowest administrative level, below a municipality or ward."
