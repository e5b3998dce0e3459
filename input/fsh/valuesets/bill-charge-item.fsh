ValueSet: BillChargeItemVS
Id: bill-charge-item
Title: "Bill Line Type"
Description: "All line types of the openIMIS Bill Line Type code system."
* ^status = #active
* ^experimental = false
* include codes from system BillChargeItemCS
