ValueSet: InvoiceChargeItemVS
Id: invoice-charge-item
Title: "Invoice Line Type"
Description: "All line types of the openIMIS Invoice Line Type code system."
* ^status = #active
* ^experimental = false
* include codes from system InvoiceChargeItemCS
