ValueSet: InvoicePriceComponentTypeVS
Id: invoice-price-component-type
Title: "Invoice Price Component Type"
Description: "Kinds of price component on the lines of an openIMIS invoice or bill."
* ^status = #active
* ^experimental = false
* $invoice-priceComponentType#base "base price"
* $invoice-priceComponentType#discount "discount"
* $invoice-priceComponentType#deduction "deduction"
* $invoice-priceComponentType#tax "tax"
