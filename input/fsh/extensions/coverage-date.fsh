Extension: CoverageDate
Id: coverage-date
Title: "Date (Coverage)"
Description: "A date in the life of an openIMIS policy. The openIMIS Coverage profile carries it twice, in a fixed order: first the enrolment date, then the effective date (see the profile)."
* insert ExtensionContext(Coverage)
* value[x] only date
