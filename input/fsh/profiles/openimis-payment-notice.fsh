Profile: OpenimisPaymentNotice
Parent: PaymentNotice
Id: openimis-payment-notice
Title: "openIMIS Payment Notice"
Description: "Tells openIMIS that an invoice or a bill has been paid (or the payment has cleared): which one, when, how much, and the reconciliation that records the payment."
* obeys oi-payment-notice-1
* id ^short = "The openIMIS payment notice UUID"
* identifier 0..1
* identifier ^short = "The openIMIS UUID of the notice"
* identifier.type 1..1
* identifier.type.coding.code = #UUID
* identifier.value 1..1
* request only Reference(openimis-invoice-invoice or openimis-invoice-bill)
* request ^short = "The invoice or bill that was paid"
* response 0..0
* provider 0..0
* payment only Reference(openimis-payment-reconciliation)
* payment ^short = "The payment reconciliation that records the payment"
* paymentDate 1..1
* payee 0..0
* recipient only Reference(openimis-insurance-organization)
* recipient ^short = "The openIMIS implementation (insurer) being notified"
* amount.value 1..1
* paymentStatus 1..1
* paymentStatus from http://hl7.org/fhir/ValueSet/payment-status (required)
* paymentStatus ^short = "paid | cleared"
