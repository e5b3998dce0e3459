Profile: OpenimisPolicyHolderOrganization
Parent: Organization
Id: openimis-policy-holder-organization
Title: "openIMIS Policy Holder (Organization)"
Description: "A policy holder registered in openIMIS: an organization (employer, cooperative, association, ...) that takes out policies for the insurees attached to it and pays their contributions."
* extension contains
    organization-ph-legal-form named legalForm 0..1 and
    organization-ph-activity named activity 0..1
* insert OpenimisIdentifierSlicing
* active 0..0
* type 1..1
* type = $organization-type#bus
* name 1..1
* alias 0..0
* insert OpenimisTelecomSlicing(3)
* address 1..1 MS
* address.extension contains
    address-municipality named municipality 0..1 MS and
    address-location-reference named location 1..1 MS
* address.extension[location] ^short = "The village the policy holder is located in"
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
