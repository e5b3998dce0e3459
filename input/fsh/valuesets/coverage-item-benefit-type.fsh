ValueSet: CoverageItemBenefitTypeVS
Id: coverage-item-benefit-type
Title: "Eligibility Benefit Type for Items and Services"
Description: "The benefit types an eligibility response reports for one medical item or service: how many are left and the earliest date it can be given again."
* ^status = #active
* ^experimental = false
* CoverageItemBenefitTypeCS#item_left "Items left"
* CoverageItemBenefitTypeCS#min_date_item "Mininum date"
