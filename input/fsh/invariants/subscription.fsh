// Invariants of the openIMIS Subscription profile.

Invariant: oi-subscription-1
Description: "openIMIS accepts only the statuses active and off."
Expression: "status = 'active' or status = 'off'"
Severity: #error
