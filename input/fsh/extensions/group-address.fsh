Extension: GroupAddress
Id: group-address
Title: "Address (Group)"
Description: "The home address of the family. FHIR Group has no address element. The address points to the openIMIS village through the location reference; the names of the village, district and region are copies for display."
* insert ExtensionContext(Group)
* value[x] only Address
* valueAddress.extension contains
    address-municipality named municipality 0..1 MS and
    address-location-reference named location 1..1 MS
* valueAddress.use = #home
* valueAddress.type = #physical
* valueAddress.line ..1
* valueAddress.city MS
* valueAddress.city ^short = "Village"
* valueAddress.district MS
* valueAddress.state MS
* valueAddress.state ^short = "Region"
* valueAddress.postalCode 0..0
* valueAddress.country 0..0
