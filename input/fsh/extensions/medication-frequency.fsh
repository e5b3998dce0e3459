Extension: MedicationFrequency
Id: medication-frequency
Title: "Prescription Frequency (Medication)"
Description: "How often a medical item may be dispensed to the same insuree: once per period of the given number of days. openIMIS checks claims against this limit."
* insert ExtensionContext(Medication)
* value[x] only Timing
* valueTiming.repeat.frequency 1..1
* valueTiming.repeat.frequency = 1
* valueTiming.repeat.period 1..1
* valueTiming.repeat.period ^short = "Minimum number of days between two dispensings"
* valueTiming.repeat.periodUnit 1..1
* valueTiming.repeat.periodUnit = #d
