Profile: OpenimisLocation
Parent: Location
Id: openimis-location
Title: "openIMIS Location"
Description: "A level of the openIMIS administrative hierarchy: region, district, municipality (ward) or village. Each level but the region is part of the level above it."
* insert OpenimisIdentifierSlicing
* status = #active
* operationalStatus 0..0
* name 1..1 MS
* alias 0..0
* description 0..0
* mode = #instance
* type 0..0
* telecom 0..0
* address 0..0
* physicalType 1..1 MS
* physicalType from LocationTypeVS (required)
* physicalType ^short = "Level in the hierarchy: region, district, municipality or village"
* position 0..0
* managingOrganization 0..0
* partOf MS
* partOf only Reference(openimis-location)
* partOf ^short = "The location one level up (absent for a region)"
* hoursOfOperation 0..0
* availabilityExceptions 0..0
* endpoint 0..0
