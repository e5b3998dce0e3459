CodeSystem: CoverageItemBenefitTypeCS
Id: coverage-item-benefit-type
Title: "Eligibility Benefit Type"
Description: "Kinds of benefit an eligibility (enquiry) response reports for a policy: counts left per care category, amounts, deductions and ceilings, and the item or service checks. Displays are as openIMIS names them."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* #admissions_left "total_admissions"
* #visits_left "total_visits"
* #consultations_left "total_consultations"
* #surgeries_left "total_surgeries"
* #deliveries_left "total_deliveries"
* #antenatal_left "total_antenatal"
* #consultation_amount "consultation_amount"
* #surgery_amount "surgery_amount"
* #delivery_amount "delivery_amount"
* #hospitalization_amount "hospitalization_amount"
* #antenatal_amount "antenatal_amount"
* #total_deduction "total_deduction"
* #hospital_deduction "hospital_deduction"
* #non_hospital_deduction "non_hospital_deduction"
* #total_ceiling "total_ceiling"
* #hospital_ceiling "hospital_ceiling"
* #non_hospital_ceiling "non_hospital_ceiling"
* #item_left "Items left"
* #min_date_item "Mininum date"
