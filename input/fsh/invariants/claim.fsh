// Business rules of the claim area (Claim, ClaimResponse).

Invariant: oi-claim-1
Description: "The claim total equals the sum over its items of quantity times unit price."
Expression: "item.where(quantity.value.empty() or unitPrice.value.empty()).exists() or total.value.empty() or (total.value - item.select(quantity.value * unitPrice.value).aggregate($this + $total, 0)).abs() < 0.005"
Severity: #error

Invariant: oi-claim-2
Description: "The first day of treatment is not after the last day (compared by calendar day)."
Expression: "billablePeriod.start.empty() or billablePeriod.end.empty() or billablePeriod.start.toString().substring(0, 10) <= billablePeriod.end.toString().substring(0, 10)"
Severity: #error

Invariant: oi-claim-3
Description: "Each claim line has its own sequence number."
Expression: "item.sequence.isDistinct()"
Severity: #error

Invariant: oi-claim-4
Description: "Each diagnosis has its own sequence number."
Expression: "diagnosis.sequence.isDistinct()"
Severity: #error

Invariant: oi-clmresp-1
Description: "Adjudicated amounts and quantities, and the totals, are never negative."
Expression: "item.adjudication.all(amount.value.empty() or amount.value >= 0) and item.adjudication.all(value.empty() or value >= 0) and total.all(amount.value.empty() or amount.value >= 0)"
Severity: #error

Invariant: oi-clmresp-2
Description: "Each adjudicated line points to a different claim line."
Expression: "item.itemSequence.isDistinct()"
Severity: #error

Invariant: oi-clmresp-3
Description: "A line has at most one adjudication per claim status, and the totals at most one per claim status."
Expression: "item.all(adjudication.category.coding.code.isDistinct()) and total.category.coding.code.isDistinct()"
Severity: #error
