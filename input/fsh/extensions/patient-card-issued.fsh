Extension: PatientCardIssued
Id: patient-card-issued
Title: "Card Issued (Patient)"
Description: "Flags whether an insurance card has been issued to the insuree."
* insert ExtensionContext(Patient)
* value[x] only boolean
