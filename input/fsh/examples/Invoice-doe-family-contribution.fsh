Instance: doe-family-contribution
InstanceOf: OpenimisInvoiceInvoice
Usage: #example
Title: "Invoice: Doe family contribution"
Description: "The contribution invoice of the Doe family's policy in RX01, issued to the head of the family on 20 June 2025 and balanced by his cash payment of 27 June 2025: one line for the policy, valued at 110 EUR."
* text.status = #generated
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>The contribution invoice of the Doe family's policy in RX01, issued to the head of the family on 20 June 2025 and balanced by his cash payment of 27 June 2025: one line for the policy, valued at 110 EUR.</p></div>"
* identifier[Code].type = OpenimisIdentifiersCS#Code "Unique code"
* identifier[Code].value = "INV-2025-0142"
* identifier[UUID].type = OpenimisIdentifiersCS#UUID "UUID unique identifier"
* identifier[UUID].value = "3f8a1c6e-0b7d-4d29-8e54-a1c9b2f6d073"
* status = #balanced
* type = InvoiceTypeCS#contribution "Contribution"
* recipient = Reference(Patient/john-doe) "John Doe"
* date = "2025-06-20"
* issuer = Reference(Organization/openIMIS-Implementation) "openIMIS Implementation"
* lineItem.chargeItemCodeableConcept = InvoiceChargeItemCS#policy "Policy"
* lineItem.priceComponent.extension[unitPrice].valueMoney.value = 110.00
* lineItem.priceComponent.extension[unitPrice].valueMoney.currency = #EUR
* lineItem.priceComponent.type = #base
* lineItem.priceComponent.code = #Code "RX01"
* lineItem.priceComponent.factor = 1
* lineItem.priceComponent.amount.value = 110.00
* lineItem.priceComponent.amount.currency = #EUR
* totalNet.value = 110.00
* totalNet.currency = #EUR
* totalGross.value = 110.00
* totalGross.currency = #EUR
