Extension: CoveragePolicyStatus
Id: coverage-policy-status
Title: "Policy Status (Coverage)"
Description: "The openIMIS policy status behind a Coverage, for systems that need more detail than Coverage.status. Defined for completeness: no openIMIS profile uses it and the backend does not send it."
* insert ExtensionContext(Coverage)
* value[x] only CodeableConcept
