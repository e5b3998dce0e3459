ValueSet: InsurancePlanCoverageTypeVS
Id: insurance-plan-coverage-type
Title: "Product Coverage Type"
Description: "Type of coverage of an openIMIS product (insurance plan): medical."
* ^status = #active
* ^experimental = false
* $insurance-plan-type#medical "Medical"
