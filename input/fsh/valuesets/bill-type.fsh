ValueSet: BillTypeVS
Id: bill-type
Title: "Bill Type"
Description: "All types of the openIMIS Bill Type code system."
* ^status = #active
* ^experimental = false
* include codes from system BillTypeCS
