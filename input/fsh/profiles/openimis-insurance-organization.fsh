Profile: OpenimisInsuranceOrganization
Parent: Organization
Id: openimis-insurance-organization
Title: "openIMIS Insurance (Organization)"
Description: "The insurer: the organization that runs the openIMIS implementation. The server has one, identified by a code set in its FHIR module configuration (openIMIS-Implementation by default), and names it as the insurer in claim responses and eligibility responses."
// a single code identifier, not the Code/UUID slicing: the insurer is not a database record
* identifier 1..1 MS
* identifier.type 1..1
* identifier.type.coding.code = #Code
* identifier.value 1..1
* identifier.value ^short = "Insurer code from the server configuration"
* active 0..0
* type 1..1
* type = $organization-type#ins
* name 1..1
* alias 0..0
* insert OpenimisTelecomSlicing(3)
* address 0..1 MS
* address.extension contains address-municipality named municipality 0..1 MS
* address.type = #physical
* address.line ..1
* address.city MS
* address.city ^short = "Village"
* address.district MS
* address.state MS
* address.state ^short = "Region"
* address.postalCode 0..0
* address.country 0..0
* partOf 0..0
* contact 0..1
* contact.purpose 1..1
* contact.purpose = $contactentity-type#ADMIN
* contact.name 1..1
* contact.name.use 0..0
* contact.name.text 1..1
* contact.name.family 0..0
* contact.name.given 0..0
* contact.name.prefix 0..0
* contact.name.suffix 0..0
* contact.name.period 0..0
* contact.telecom 0..0
* contact.address 0..0
