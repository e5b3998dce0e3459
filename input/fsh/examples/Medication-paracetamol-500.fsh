Instance: paracetamol-500
InstanceOf: OpenimisMedication
Usage: #example
Title: "Medical item: Paracetamol 500 mg (0004)"
Description: "The drug 0004 of the price list, paracetamol 500 mg tablets, priced per tablet, for all insurees in out-patient and in-patient care."
* text.status = #generated
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>The drug 0004 of the price list, paracetamol 500 mg tablets, priced per tablet, for all insurees in out-patient and in-patient care.</p></div>"
* extension[useContext].extension[Gender].valueUsageContext.code = $usage-context-type#gender "Gender"
* extension[useContext].extension[Gender].valueUsageContext.valueCodeableConcept.coding[0] = $administrative-gender#male "Male"
* extension[useContext].extension[Gender].valueUsageContext.valueCodeableConcept.coding[1] = $administrative-gender#female "Female"
* extension[useContext].extension[Age].valueUsageContext.code = $usage-context-type#age "Age Range"
* extension[useContext].extension[Age].valueUsageContext.valueCodeableConcept.coding[0] = UsageContextAgeTypeCS#adult "Adult"
* extension[useContext].extension[Age].valueUsageContext.valueCodeableConcept.coding[1] = UsageContextAgeTypeCS#child "Child"
* extension[useContext].extension[CareType].valueUsageContext.code = $usage-context-type#venue "Clinical Venue"
* extension[useContext].extension[CareType].valueUsageContext.valueCodeableConcept.coding[0] = $v3-ActCode#AMB "ambulatory"
* extension[useContext].extension[CareType].valueUsageContext.valueCodeableConcept.coding[1] = $v3-ActCode#IMP "inpatient encounter"
* extension[unitPrice].valueMoney.value = 0.50
* extension[unitPrice].valueMoney.currency = #EUR
* extension[timing].valueTiming.repeat.frequency = 1
* extension[timing].valueTiming.repeat.period = 1
* extension[timing].valueTiming.repeat.periodUnit = #d
* extension[type].valueCodeableConcept = MedicationItemTypeCS#D "Drug"
* extension[level].valueCodeableConcept = MedicationLevelCS#M "Medication"
* identifier[Code].type = OpenimisIdentifiersCS#Code "Unique code"
* identifier[Code].value = "0004"
* identifier[UUID].type = OpenimisIdentifiersCS#UUID "UUID unique identifier"
* identifier[UUID].value = "5c9e3a17-4b8d-4f2e-a6c1-0d7b9e3f5a48"
* code.text = "Paracetamol 500 mg tablet"
* status = #active
* form.text = "Tablet"
