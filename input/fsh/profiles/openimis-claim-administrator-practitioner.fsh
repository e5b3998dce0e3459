Profile: OpenimisClaimAdministratorPractitioner
Parent: Practitioner
Id: openimis-claim-administrator-practitioner
Title: "openIMIS Claim Administrator (Practitioner)"
Description: "A claim administrator: the health facility staff member who enters and submits the facility's claims to openIMIS. Where they work is given by the matching claim administrator PractitionerRole."
* insert OpenimisIdentifierSlicing
* active 0..0
* name 1..1
* name ^short = "Official name of the claim administrator"
* name.use = #official
* name.family 1..1 MS
* name.given 1..1 MS
* insert OpenimisTelecomSlicing(2)
// openIMIS keeps a phone and an email for officers, no fax
* telecom[fax] 0..0
* address 0..0
* gender 0..0
* birthDate 1..1 MS
* photo 0..0
* qualification 1..1
* qualification.code = PractitionerQualificationTypeCS#CA
* communication 0..0
