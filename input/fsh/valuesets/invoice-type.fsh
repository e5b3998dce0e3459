ValueSet: InvoiceTypeVS
Id: invoice-type
Title: "Invoice Type"
Description: "All types of the openIMIS Invoice Type code system."
* ^status = #active
* ^experimental = false
* include codes from system InvoiceTypeCS
