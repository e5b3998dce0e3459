ValueSet: InvoiceStatusVS
Id: invoice-status
Title: "Invoice Status"
Description: "Statuses an openIMIS invoice or bill can have."
* ^status = #active
* ^experimental = false
* $invoice-status#issued "issued"
* $invoice-status#balanced "balanced"
* $invoice-status#cancelled "cancelled"
