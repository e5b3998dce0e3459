// Rules shared by the two openIMIS Invoice profiles (Invoice and Bill). Each profile adds the value sets
// of its own invoice types and charge items.
RuleSet: OpenimisInvoiceCommon
* insert OpenimisIdentifierSlicing
* identifier 2..2
* identifier[UUID] 1..1
* status from InvoiceStatusVS (required)
* cancelledReason 0..0
* type 1..1
* subject 0..0
* recipient 1..1
* recipient only Reference(Organization or Patient)
* date 1..1
* participant 0..0
* account 0..0
* lineItem 1..*
* lineItem.sequence 0..0
* lineItem.chargeItem[x] only CodeableConcept
* lineItem.priceComponent 1..*
* lineItem.priceComponent.extension contains unit-price named unitPrice 1..1
* lineItem.priceComponent.type from InvoicePriceComponentTypeVS (required)
// the backend puts the fixed code "Code" here and the line's own code in display
* lineItem.priceComponent.code ^short = "On the base component only: the openIMIS code of the line (in display)"
* lineItem.priceComponent.code.coding.code = #Code
* lineItem.priceComponent.factor 1..1
* lineItem.priceComponent.factor ^short = "Quantity (base), rate (tax), discount (discount) or 1 (deduction)"
* lineItem.priceComponent.amount 1..1
* lineItem.priceComponent.amount.value 1..1
* lineItem.priceComponent.amount ^short = "Signed amount: positive for base and tax, negative for discount and deduction"
* totalPriceComponent 0..0
* totalNet 1..1
* totalNet.value 1..1
* totalGross 1..1
* totalGross.value 1..1
* note 0..1
* obeys oi-invoice-1
