Profile: OpenimisHealthFacilityOrganization
Parent: Organization
Id: openimis-health-facility-organization
Title: "openIMIS Health Facility (Organization)"
Description: "A health facility registered in openIMIS: a provider that delivers care to insurees and submits claims. It belongs to a district."
* extension contains
    organization-hf-care-type named careType 1..1 and
    organization-hf-legal-form named legalForm 0..1 and
    organization-hf-level named hfLevel 0..1
* insert OpenimisIdentifierSlicing
* active 0..0
* type 1..1
* type = $organization-type#prov
* name 1..1
* alias 0..0
* insert OpenimisTelecomSlicing(3)
* address 1..1 MS
* address.extension contains address-location-reference named locationDistrict 1..1 MS
* address.extension[locationDistrict] ^short = "The district the health facility belongs to"
* address.type = #physical
* address.line ..1
* address.city 0..0
* address.district 1..1 MS
* address.state 1..1 MS
* address.state ^short = "Region"
* address.postalCode 0..0
* address.country 0..0
* partOf 0..0
* contact ^short = "The claim administrators of the health facility (read only)"
* contact.purpose 1..1
* contact.purpose = $contactentity-type#PAYOR
* contact.name 1..1
