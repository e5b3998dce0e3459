// Invariants of the openIMIS Patient (Insuree) profile.

Invariant: insureeCodeMustBeUnder13Chars
Description: "The insuree code (insurance number, CHFID) has at most 12 characters: openIMIS stores it in a 12-character column."
Expression: "$this.length() <= 12"
Severity: #error

// A birth date of lower precision than today (e.g. the current year only) cannot be ordered against today
// and is accepted; the middle term makes the expression return true instead of empty in that case.
Invariant: oi-patient-1
Description: "The birth date is not in the future."
Expression: "birthDate.empty() or (birthDate > today()).empty() or birthDate <= today()"
Severity: #error
