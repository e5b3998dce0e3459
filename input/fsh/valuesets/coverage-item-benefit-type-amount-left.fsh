ValueSet: CoverageItemBenefitTypeAmountLeftVS
Id: coverage-item-benefit-type-amount-left
Title: "Eligibility Benefit Type for Amounts"
Description: "The benefit types an eligibility response reports as amounts: amounts left per care category, deductions and ceilings."
* ^status = #active
* ^experimental = false
* CoverageItemBenefitTypeCS#consultation_amount "consultation_amount"
* CoverageItemBenefitTypeCS#surgery_amount "surgery_amount"
* CoverageItemBenefitTypeCS#delivery_amount "delivery_amount"
* CoverageItemBenefitTypeCS#hospitalization_amount "hospitalization_amount"
* CoverageItemBenefitTypeCS#antenatal_amount "antenatal_amount"
* CoverageItemBenefitTypeCS#hospital_deduction "hospital_deduction"
* CoverageItemBenefitTypeCS#non_hospital_deduction "non_hospital_deduction"
* CoverageItemBenefitTypeCS#hospital_ceiling "hospital_ceiling"
* CoverageItemBenefitTypeCS#non_hospital_ceiling "non_hospital_ceiling"
