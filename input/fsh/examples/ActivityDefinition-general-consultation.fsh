Instance: general-consultation
InstanceOf: OpenimisActivityDefinition
Usage: #example
Title: "Medical service: General Consultation (A1)"
Description: "The general consultation service A1 of the price list: curative, out-patient and in-patient, for all insurees, at most once a day."
* text.status = #generated
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>The general consultation service A1 of the price list: curative, out-patient and in-patient, for all insurees, at most once a day.</p></div>"
* extension[unitPrice].valueMoney.value = 40.00
* extension[unitPrice].valueMoney.currency = #EUR
* extension[level].valueCodeableConcept = ActivityDefinitionLevelCS#V "Visit"
* identifier[Code].type = OpenimisIdentifiersCS#Code "Unique code"
* identifier[Code].value = "A1"
* identifier[UUID].type = OpenimisIdentifiersCS#UUID "UUID unique identifier"
* identifier[UUID].value = "e1f5a7c3-9d2b-4c64-b8e0-7a3d5f9c1b26"
* name = "A1"
* title = "General Consultation"
* status = #active
* date = "2025-01-01"
* useContext[Gender].code = $usage-context-type#gender "Gender"
* useContext[Gender].valueCodeableConcept.coding[0] = $administrative-gender#male "Male"
* useContext[Gender].valueCodeableConcept.coding[1] = $administrative-gender#female "Female"
* useContext[Age].code = $usage-context-type#age "Age Range"
* useContext[Age].valueCodeableConcept.coding[0] = UsageContextAgeTypeCS#adult "Adult"
* useContext[Age].valueCodeableConcept.coding[1] = UsageContextAgeTypeCS#child "Child"
* useContext[Category].code = $usage-context-type#workflow "Workflow Setting"
* useContext[Category].valueCodeableConcept = ActivityDefinitionUsageContextWorkflowTypeCS#C "Consultations"
// care type "both": out-patient and in-patient
* useContext[CareType].code = $usage-context-type#venue "Clinical Venue"
* useContext[CareType].valueCodeableConcept.coding[0] = $v3-ActCode#AMB "ambulatory"
* useContext[CareType].valueCodeableConcept.coding[1] = $v3-ActCode#IMP "inpatient encounter"
* topic = ActivityDefinitionServiceTypeCS#C "Curative"
* kind = #ServiceRequest
* timingTiming.repeat.frequency = 1
* timingTiming.repeat.period = 1
* timingTiming.repeat.periodUnit = #d
