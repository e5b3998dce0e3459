// Invariants of the openIMIS Contract profile.

// Each policy (term.asset) has one period and one usePeriod (profile cardinality). A comparison of dates of
// different precision, or with a missing date, is empty and accepted.
Invariant: oi-contract-1
Description: "Each policy is in effect only within its period: the effective period (usePeriod) starts no earlier than the policy start date and ends no later than its expiry date."
Expression: "term.asset.all(((usePeriod.start >= period.start).empty() or usePeriod.start >= period.start) and ((usePeriod.end <= period.end).empty() or usePeriod.end <= period.end))"
Severity: #error
