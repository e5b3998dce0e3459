Profile: OpenimisPaymentReconciliation
Parent: PaymentReconciliation
Id: openimis-payment-reconciliation
Title: "openIMIS Payment Reconciliation"
Description: "One payment made through a payment system, reconciled against the openIMIS invoices and bills it settles (the payment step of the GovStack payment building block). It gives the payment's reference, date and amount, the outcome of processing it, and one detail per invoice or bill with the share of the payment applied to it. A PaymentNotice that reports the payment points to this resource."
* obeys oi-payment-reconciliation-1 and oi-payment-reconciliation-2
* id ^short = "The openIMIS payment UUID"
* insert OpenimisUuidIdentifierSlicing(0..1)
* identifier ^short = "The openIMIS UUID of the payment, once openIMIS has stored it"
* status MS
* created MS
* request 0..0
* requestor 0..0
* outcome 1..1 MS
* outcome ^short = "queued (not processed yet) | complete (settled) | error (rejected) | partial (settled in part)"
* disposition ^short = "Why the outcome is error or partial, in words"
* paymentDate MS
* paymentDate ^short = "Date the payment was made"
* paymentAmount MS
* paymentAmount.value 1..1
* paymentAmount ^short = "Total amount paid"
* paymentIdentifier 1..1 MS
* paymentIdentifier ^short = "The payment system's reference of the transaction (e.g. the receipt number)"
* detail 1..* MS
* detail ^short = "One entry per invoice or bill this payment settles"
* detail.request 1..1 MS
* detail.request only Reference(openimis-invoice-invoice or openimis-invoice-bill)
* detail.request ^short = "The invoice or bill settled"
* detail.amount 1..1 MS
* detail.amount.value 1..1
* detail.amount ^short = "Part of the payment applied to this invoice or bill"
