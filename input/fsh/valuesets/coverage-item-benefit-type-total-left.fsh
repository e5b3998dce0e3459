ValueSet: CoverageItemBenefitTypeTotalLeftVS
Id: coverage-item-benefit-type-total-left
Title: "Eligibility Benefit Type for Counts Left"
Description: "The benefit types an eligibility response reports as the number of admissions, visits, consultations, surgeries, deliveries and antenatal visits left."
* ^status = #active
* ^experimental = false
* CoverageItemBenefitTypeCS#admissions_left "total_admissions"
* CoverageItemBenefitTypeCS#visits_left "total_visits"
* CoverageItemBenefitTypeCS#consultations_left "total_consultations"
* CoverageItemBenefitTypeCS#surgeries_left "total_surgeries"
* CoverageItemBenefitTypeCS#deliveries_left "total_deliveries"
* CoverageItemBenefitTypeCS#antenatal_left "total_antenatal"
