Instance: doe-family-coverage
InstanceOf: OpenimisCoverage
Usage: #example
Title: "Coverage: Doe family in Basic Health Cover"
Description: "The Doe family's policy in product RX01 as openIMIS reports it on Coverage: enrolled on 20 June 2025, effective and started on 1 July 2025, expiring on 30 June 2026, paid by the head of the family."
* text.status = #generated
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>The Doe family's policy in product RX01 as openIMIS reports it on Coverage: enrolled on 20 June 2025, effective and started on 1 July 2025, expiring on 30 June 2026, paid by the head of the family.</p></div>"
// first the enrolment date, then the effective date
* extension[coverageDate][0].valueDate = "2025-06-20"
* extension[coverageDate][1].valueDate = "2025-07-01"
* identifier[UUID].type = OpenimisIdentifiersCS#UUID "UUID unique identifier"
* identifier[UUID].value = "9e4b7a02-c1d8-4e5f-a936-2b8d5f0c7e41"
* status = #active
* policyHolder = Reference(Patient/john-doe) "John Doe"
* beneficiary = Reference(Patient/john-doe) "John Doe"
* period.start = "2025-07-01"
* period.end = "2026-06-30"
* payor = Reference(Patient/john-doe) "John Doe"
* class.type = $coverage-class#plan "Plan"
* class.value = "RX01"
* class.name = "Basic Health Cover"
