ValueSet: DiagnosisICD10Level1VS
Id: diagnosis-ICD10-level1
Title: "Diagnosis (ICD-10 Category)"
Description: "All diagnoses of the openIMIS Diagnosis code system (a fragment here; a deployment ships its own full list)."
* ^status = #active
* ^experimental = false
* include codes from system DiagnosisICD10Level1CS
