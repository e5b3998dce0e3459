Profile: OpenimisInvoiceInvoice
Parent: Invoice
Id: openimis-invoice-invoice
Title: "openIMIS Invoice"
Description: "An invoice openIMIS issues to collect money: a family's or a policy holder's contribution, or a contract's dues. Read-only over FHIR; payments against it are reported with PaymentNotice and settled with PaymentReconciliation."
* id ^short = "The openIMIS invoice UUID"
* insert OpenimisInvoiceCommon
* type ^short = "contribution | contract | funding"
* type.coding from InvoiceTypeVS (required)
* recipient ^short = "Who must pay: the head of family (Patient) or the policy holder (Organization)"
* lineItem.chargeItemCodeableConcept from InvoiceChargeItemVS (required)
