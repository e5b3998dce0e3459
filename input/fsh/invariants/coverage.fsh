// Invariants of the openIMIS Coverage profile.

// Dates of different precision cannot be ordered; the middle term returns true instead of empty then.
Invariant: oi-coverage-1
Description: "The policy period ends after it starts (expiry date later than start date)."
Expression: "period.start.empty() or period.end.empty() or (period.end > period.start).empty() or period.end > period.start"
Severity: #error
