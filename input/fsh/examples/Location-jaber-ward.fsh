Instance: jaber-ward
InstanceOf: OpenimisLocation
Usage: #example
Title: "Location: Jaber municipality"
Description: "The municipality (ward) Jaber, in the district Rapta."
* text.status = #generated
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>The municipality (ward) Jaber, in the district Rapta.</p></div>"
* identifier[Code].type = OpenimisIdentifiersCS#Code "Unique code"
* identifier[Code].value = "R1D1M1"
* identifier[UUID].type = OpenimisIdentifiersCS#UUID "UUID unique identifier"
* identifier[UUID].value = "1b8e4f27-c3a9-4d60-8e12-7f5b2d9c4a83"
* status = #active
* name = "Jaber"
* mode = #instance
* physicalType = LocationTypeCS#W "Municipality/Ward"
* partOf = Reference(Location/rapta-district) "Rapta"
