Instance: rachla-village
InstanceOf: OpenimisLocation
Usage: #example
Title: "Location: Rachla village"
Description: "The village Rachla, in the municipality Jaber: the lowest level of the hierarchy, where families live."
* text.status = #generated
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>The village Rachla, in the municipality Jaber: the lowest level of the hierarchy, where families live.</p></div>"
* identifier[Code].type = OpenimisIdentifiersCS#Code "Unique code"
* identifier[Code].value = "R1D1M1V1"
* identifier[UUID].type = OpenimisIdentifiersCS#UUID "UUID unique identifier"
* identifier[UUID].value = "6d3a9c58-0e4b-4b7f-a2c6-3e8f1d5b7a92"
* status = #active
* name = "Rachla"
* mode = #instance
* physicalType = LocationTypeCS#V "City/Village"
* partOf = Reference(Location/jaber-ward) "Jaber"
