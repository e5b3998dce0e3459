CodeSystem: BillChargeItemCS
Id: bill-charge-item
Title: "Bill Line Type"
Description: "What a line of an openIMIS bill pays for."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #claim "Claim" "Amount for a claim, fee-for-service or capitation."
* #commission "Commission" "Amount of a commission."
* #fees "Fees" "Amount of a fee."
