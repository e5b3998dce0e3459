Extension: UnitPrice
Id: unit-price
Title: "Unit Price"
Description: "The price of one unit: of a medical item (Medication) or medical service (ActivityDefinition) in the price list, or of an invoice or bill line's price component."
* insert ExtensionContext(Medication)
* insert ExtensionContext(ActivityDefinition)
* insert ExtensionContext(Invoice.lineItem.priceComponent)
* value[x] only Money
* valueMoney.value 1..1
