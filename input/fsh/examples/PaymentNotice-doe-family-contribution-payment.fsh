Instance: doe-family-contribution-payment
InstanceOf: OpenimisPaymentNotice
Usage: #example
Title: "Payment notice: Doe family contribution paid"
Description: "Tells openIMIS that the Doe family's contribution invoice was paid in full on 27 June 2025; the payment itself is recorded in the matching payment reconciliation."
* text.status = #generated
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Tells openIMIS that the Doe family's contribution invoice was paid in full on 27 June 2025; the payment itself is recorded in the matching payment reconciliation.</p></div>"
* identifier.type = OpenimisIdentifiersCS#UUID "UUID unique identifier"
* identifier.value = "b72e5f90-4c1a-4a8d-9f63-d08e3a5c1b27"
* status = #active
* request = Reference(Invoice/doe-family-contribution) "Contribution invoice INV-2025-0142"
* created = "2025-06-27T10:20:00+03:00"
* payment = Reference(PaymentReconciliation/doe-family-contribution-payment)
* paymentDate = "2025-06-27"
* recipient = Reference(Organization/openIMIS-Implementation) "openIMIS Implementation"
* amount.value = 110.00
* amount.currency = #EUR
* paymentStatus = $payment-status#paid "Paid"
