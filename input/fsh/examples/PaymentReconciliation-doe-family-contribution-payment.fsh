Instance: doe-family-contribution-payment-reconciliation
InstanceOf: OpenimisPaymentReconciliation
// shares its id with the PaymentNotice it answers; instance names must be unique, ids only per type
Usage: #example
Title: "Payment: Doe family contribution"
Description: "John Doe's cash payment of 27 June 2025 (receipt RCP-2025-0142), applied in full to the contribution invoice of the Doe family's policy, which it settles."
* text.status = #generated
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>John Doe's cash payment of 27 June 2025 (receipt RCP-2025-0142), applied in full to the contribution invoice of the Doe family's policy, which it settles.</p></div>"
* id = "doe-family-contribution-payment"
* identifier[UUID].type = OpenimisIdentifiersCS#UUID "UUID unique identifier"
* identifier[UUID].value = "e61d3b8a-7f25-4c90-b4a7-5a2f9c0e8d64"
* status = #active
* created = "2025-06-27T10:15:00+03:00"
* outcome = #complete
* disposition = "Contribution received in full; invoice INV-2025-0142 balanced."
* paymentDate = "2025-06-27"
* paymentAmount.value = 110.00
* paymentAmount.currency = #EUR
* paymentIdentifier.system = "https://payments.example.org/receipts"
* paymentIdentifier.value = "RCP-2025-0142"
* detail.type = $payment-type#payment "Payment"
* detail.request = Reference(Invoice/doe-family-contribution) "Contribution invoice INV-2025-0142"
* detail.date = "2025-06-27"
* detail.payee = Reference(Organization/openIMIS-Implementation) "openIMIS Implementation"
* detail.amount.value = 110.00
* detail.amount.currency = #EUR
