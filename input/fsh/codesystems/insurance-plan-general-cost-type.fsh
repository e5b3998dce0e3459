CodeSystem: InsurancePlanGeneralCostTypeCS
Id: insurance-plan-general-cost-type
Title: "Product Cost Type"
Description: "Kinds of contribution and fee a product (insurance plan) charges: lump sums, premiums per adult or child, registration and general assembly fees."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #lumpsum "Lumpsum"
* #premiumAdult "Premium Adult"
* #premiumChild "Premium Child"
* #registrationLumpsum "Registration Lumpsum"
* #registrationFee "Registration Fee"
* #generalAssemblyLumpSum "General Assembly Lump Sum"
* #generalAssemblyFee "General Assembly Fee"
