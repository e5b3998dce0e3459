CodeSystem: InvoiceChargeItemCS
Id: invoice-charge-item
Title: "Invoice Line Type"
Description: "What a line of an openIMIS invoice charges for."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #contribution "Contribution"
* #policy "Policy"
