Profile: OpenimisClaimAdministratorPractitionerRole
Parent: PractitionerRole
Id: openimis-claim-administrator-practitioner-role
Title: "openIMIS Claim Administrator Role (PractitionerRole)"
Description: "Links a claim administrator to the health facility whose claims they administer."
* insert OpenimisIdentifierSlicing
* active 0..0
* period 0..0
* practitioner 1..1
* practitioner only Reference(openimis-claim-administrator-practitioner)
* organization 1..1
* organization only Reference(openimis-health-facility-organization)
* organization ^short = "The health facility the claim administrator works for"
* code = PractitionerQualificationTypeCS#CA
* specialty 0..0
* location 0..0
* healthcareService 0..0
* insert OpenimisTelecomSlicing(2)
// openIMIS keeps a phone and an email for officers, no fax
* telecom[fax] 0..0
* availableTime 0..0
* notAvailable 0..0
* availabilityExceptions 0..0
* endpoint 0..0
