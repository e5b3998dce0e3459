Extension: PractitionerRoleSubstitutionReference
Id: practitioner-role-substitution-reference
Title: "Substitute Enrolment Officer (PractitionerRole)"
Description: "The enrolment officer who takes over the work of this enrolment officer once the role's period has ended."
* insert ExtensionContext(PractitionerRole)
* value[x] only Reference(openimis-enrolment-officer-practitioner)
