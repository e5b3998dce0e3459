Instance: rapta-district
InstanceOf: OpenimisLocation
Usage: #example
Title: "Location: Rapta district"
Description: "The district Rapta, in the region Ultha."
* text.status = #generated
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>The district Rapta, in the region Ultha.</p></div>"
* identifier[Code].type = OpenimisIdentifiersCS#Code "Unique code"
* identifier[Code].value = "R1D1"
* identifier[UUID].type = OpenimisIdentifiersCS#UUID "UUID unique identifier"
* identifier[UUID].value = "9e2d7b41-6a0c-4f8e-b3d5-5c7a1e9f2b64"
* status = #active
* name = "Rapta"
* mode = #instance
* physicalType = LocationTypeCS#D "District"
* partOf = Reference(Location/ultha-region) "Ultha"
