Extension: AddressMunicipality
Id: address-municipality
Title: "Municipality (Address)"
Description: "The name of the municipality or ward of the address. FHIR Address has no element for this level of the openIMIS location hierarchy (region, district, municipality, village)."
* insert ExtensionContext(Address)
* value[x] only string
