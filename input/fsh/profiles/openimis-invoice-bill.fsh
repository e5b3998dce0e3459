Profile: OpenimisInvoiceBill
Parent: Invoice
Id: openimis-invoice-bill
Title: "openIMIS Bill"
Description: "A bill openIMIS must pay: the valuated claims of a health facility for a batch run, an enrolment officer's commission or fees. Same shape as the openIMIS Invoice, with bill types and bill charge items."
* id ^short = "The openIMIS bill UUID"
* insert OpenimisInvoiceCommon
* type ^short = "claim-batch | commission | fees"
* type.coding from BillTypeVS (required)
* recipient ^short = "Who is paid: the health facility or other organization, or an insuree"
* issuer 0..0
* lineItem.chargeItemCodeableConcept from BillChargeItemVS (required)
