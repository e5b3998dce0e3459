Profile: OpenimisEnrolmentOfficerPractitioner
Parent: Practitioner
Id: openimis-enrolment-officer-practitioner
Title: "openIMIS Enrolment Officer (Practitioner)"
Description: "An enrolment officer: the field agent who enrols families in insurance products, collects contributions and renews policies in the villages assigned to them (see the enrolment officer PractitionerRole)."
* insert OpenimisIdentifierSlicing
* active 0..0
* name 1..1
* name ^short = "Official name of the enrolment officer"
* name.use = #official
* name.family 1..1 MS
* name.given 1..1 MS
* insert OpenimisTelecomSlicing(2)
// openIMIS keeps a phone and an email for officers, no fax
* telecom[fax] 0..0
* address 0..1 MS
* address ^short = "Permanent address of the enrolment officer, in their district"
* address.extension contains address-location-reference named locationDistrict 1..1 MS
* address.extension[locationDistrict] ^short = "The district the enrolment officer belongs to"
* address.type = #physical
* address.line ..1
* address.city 0..0
* address.district 1..1 MS
* address.state 1..1 MS
* address.state ^short = "Region"
* address.postalCode 0..0
* address.country 0..0
* gender 0..0
* birthDate 1..1 MS
* photo 0..0
* qualification 1..1
* qualification.code = PractitionerQualificationTypeCS#EO
* communication 0..0
