// Invariants of the openIMIS Invoice and Bill profiles.

Invariant: oi-invoice-1
Description: "An invoice is in one currency: the totals and every price component amount that states a currency state the same one."
Expression: "(totalNet.currency | totalGross.currency | lineItem.priceComponent.amount.currency).count() <= 1"
Severity: #error
