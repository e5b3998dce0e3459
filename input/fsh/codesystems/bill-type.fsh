CodeSystem: BillTypeCS
Id: bill-type
Title: "Bill Type"
Description: "What an openIMIS bill (money the scheme owes) pays for: a batch of claims, commissions or fees."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #claim-batch "Claim batch payment" "Payment to a health facility for a batch of valuated claims."
* #commission "Commission" "Commission owed to an enrolment officer."
* #fees "Fees" "Fees owed to a payment service provider."
