Profile: OpenimisCoverage
Parent: Coverage
Id: openimis-coverage
Title: "openIMIS Coverage"
Description: "An openIMIS policy seen from the insuree's side: which product (InsurancePlan) covers the family, from when to when, who pays, and the enrolment and effective dates. Read-only in openIMIS: the backend builds it from the policy; policies are created through Contract."
* obeys oi-coverage-1
* id ^short = "The openIMIS policy UUID"
// The backend sends the two dates with the same url and nothing else to tell them apart, so a single
// slice holds both and their order gives their meaning.
* extension contains coverage-date named coverageDate 2..2 MS
* extension[coverageDate] ^short = "Enrolment date (1st occurrence), then effective date (2nd occurrence)"
* extension[coverageDate] ^definition = "Exactly two dates, always in this order: the first is the date the policy was enrolled (openIMIS Policy.EnrollDate), the second the date from which it takes effect (openIMIS Policy.EffectiveDate). Senders keep the order; receivers read them by position."
* insert OpenimisUuidIdentifierSlicing(1..1)
* status from CoverageStatusVS (required)
* status ^short = "active (policy active or expired) | cancelled (suspended) | draft (idle)"
* type 0..0
* policyHolder only Reference(openimis-patient)
* policyHolder ^short = "The head of the insured family"
* subscriber 0..0
* subscriberId 0..0
* beneficiary only Reference(openimis-patient)
* beneficiary ^short = "The head of the insured family (the policy covers the whole family)"
* dependent 0..0
* relationship 0..0
* period 1..1
* period.start 1..1
* period.start ^short = "Policy start date (openIMIS Policy.StartDate)"
* period.end 1..1
* period.end ^short = "Policy expiry date (openIMIS Policy.ExpiryDate)"
* payor 1..1
* payor only Reference(openimis-patient or openimis-policy-holder-organization)
* payor ^short = "The head of family (informal sector) or the policy holder (formal sector)"
* class 1..1
* class.type = $coverage-class#plan
* class.value ^short = "The product code"
* class.name 1..1
* class.name ^short = "The product name"
* order 0..0
* network 0..0
* costToBeneficiary 0..0
* subrogation 0..0
* contract 0..0
