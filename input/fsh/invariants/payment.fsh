// Invariants of the openIMIS PaymentNotice and PaymentReconciliation profiles.

Invariant: oi-payment-notice-1
Description: "A payment notice reports a positive amount."
Expression: "amount.value.empty() or amount.value > 0"
Severity: #error

// A SHOULD: a payment may carry fees or rounding the details do not account for.
Invariant: oi-payment-reconciliation-1
Description: "The amounts applied to the invoices and bills (detail.amount) should add up to the amount paid (paymentAmount)."
Expression: "paymentAmount.value.empty() or detail.amount.value.aggregate($this + $total, 0) = paymentAmount.value"
Severity: #warning

Invariant: oi-payment-reconciliation-2
Description: "A payment is in one currency: the amount paid and every detail amount that states a currency state the same one."
Expression: "(paymentAmount.currency | detail.amount.currency).count() <= 1"
Severity: #error
