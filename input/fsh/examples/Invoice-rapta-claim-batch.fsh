Instance: rapta-claim-batch
InstanceOf: OpenimisInvoiceBill
Usage: #example
Title: "Bill: Rapta Hospital claims of September 2025"
Description: "The bill the September 2025 batch run produced for Rapta Hospital: what the scheme owes the hospital for its valuated claims of the month, here only Claim001, valuated at the 40 EUR approved for the consultation. Not paid yet."
* text.status = #generated
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>The bill the September 2025 batch run produced for Rapta Hospital: what the scheme owes the hospital for its valuated claims of the month, here only Claim001, valuated at the 40 EUR approved for the consultation. Not paid yet.</p></div>"
* identifier[Code].type = OpenimisIdentifiersCS#Code "Unique code"
* identifier[Code].value = "BILL-2025-09-RHOS0001"
* identifier[UUID].type = OpenimisIdentifiersCS#UUID "UUID unique identifier"
* identifier[UUID].value = "a4c7e2f9-6b13-4d58-92e0-f5b1d8a3c6e7"
* status = #issued
* type = BillTypeCS#claim-batch "Claim batch payment"
* recipient = Reference(Organization/rapta-hospital) "Rapta Hospital"
* date = "2025-10-05"
* lineItem.chargeItemCodeableConcept = BillChargeItemCS#claim "Claim"
* lineItem.priceComponent.extension[unitPrice].valueMoney.value = 40.00
* lineItem.priceComponent.extension[unitPrice].valueMoney.currency = #EUR
* lineItem.priceComponent.type = #base
* lineItem.priceComponent.code = #Code "Claim001"
* lineItem.priceComponent.factor = 1
* lineItem.priceComponent.amount.value = 40.00
* lineItem.priceComponent.amount.currency = #EUR
* totalNet.value = 40.00
* totalNet.currency = #EUR
* totalGross.value = 40.00
* totalGross.currency = #EUR
