Profile: OpenimisEnrolmentOfficerPractitionerRole
Parent: PractitionerRole
Id: openimis-enrolment-officer-practitioner-role
Title: "openIMIS Enrolment Officer Role (PractitionerRole)"
Description: "The assignment of an enrolment officer: the locations (villages) they serve, until when they work, and who substitutes them afterwards."
* extension contains practitioner-role-substitution-reference named substitution 0..1
* extension[substitution] ^short = "The enrolment officer who takes over after period.end"
* insert OpenimisIdentifierSlicing
* active 0..0
* period.start 0..0
* period.end 1..1
* period.end ^short = "Date until which the enrolment officer works"
* practitioner 1..1
* practitioner only Reference(openimis-enrolment-officer-practitioner)
* organization 0..0
* code = PractitionerQualificationTypeCS#EO
* specialty 0..0
* location only Reference(openimis-location)
* location ^short = "The locations (villages) the enrolment officer serves"
* healthcareService 0..0
* insert OpenimisTelecomSlicing(2)
// openIMIS keeps a phone and an email for officers, no fax
* telecom[fax] 0..0
* availableTime 0..0
* notAvailable 0..0
* availabilityExceptions 0..0
* endpoint 0..0
