CodeSystem: InvoiceTypeCS
Id: invoice-type
Title: "Invoice Type"
Description: "What an openIMIS invoice asks payment for: a policy contribution, a formal-sector contract or external funding."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #contribution "Contribution" "Contribution due for a policy in the informal sector."
* #contract "Contract" "Contributions due under a formal-sector contract."
* #funding "Funding" "Request for funds from an external source."
