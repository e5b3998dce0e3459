// Business rules of the eligibility enquiry (CoverageEligibilityResponse).

Invariant: oi-elig-1
Description: "The benefit period of each policy does not end before it starts (compared by calendar day)."
Expression: "insurance.benefitPeriod.all(start.empty() or end.empty() or start.toString().substring(0, 10) <= end.toString().substring(0, 10))"
Severity: #error
