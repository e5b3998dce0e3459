Instance: ultha-region
InstanceOf: OpenimisLocation
Usage: #example
Title: "Location: Ultha region"
Description: "The region Ultha, top level of the example location hierarchy."
* text.status = #generated
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>The region Ultha, top level of the example location hierarchy.</p></div>"
* identifier[Code].type = OpenimisIdentifiersCS#Code "Unique code"
* identifier[Code].value = "R1"
* identifier[UUID].type = OpenimisIdentifiersCS#UUID "UUID unique identifier"
* identifier[UUID].value = "4c1f6e0a-2b7d-4e53-9a61-0d3b8f2a7c10"
* status = #active
* name = "Ultha"
* mode = #instance
* physicalType = LocationTypeCS#R "Region"
