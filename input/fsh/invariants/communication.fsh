// Business rules of the claim feedback (Communication).

Invariant: oi-comm-1
Description: "Feedback answers are 'yes' or 'no', except the assessment, which is a score from 0 to 5."
Expression: "payload.all(iif(extension('https://openimis.github.io/openimis_fhir_r4_ig/StructureDefinition/communication-payload-type').value.coding.code contains 'Asessment', content.matches('^[0-5]$'), content.matches('^(yes|no)$')))"
Severity: #error
