// The id keeps the published misspelling ("activitiy"): it is part of the profile's canonical URL.
Profile: OpenimisActivityDefinition
Parent: ActivityDefinition
Id: openimis-activitiy-definition
Title: "openIMIS Medical Service (ActivityDefinition)"
Description: "A medical service of the openIMIS price list (consultation, surgery, delivery, ...): its code, name, price, care level, who may receive it and how often."
* extension contains
    unit-price named unitPrice 1..1 and
    activity-definition-level named level 0..1
* extension[unitPrice] ^short = "Price of one unit of the service"
* extension[level] ^short = "Care level: simple service, visit, day of stay or hospital case"
* insert OpenimisIdentifierSlicing
* version 0..0
* name 1..1
* name ^short = "Code of the medical service"
* title 1..1
* title ^short = "Name of the medical service"
* subtitle 0..0
* status = #active
* experimental 0..0
* subject[x] 0..0
* date 1..1
* publisher 0..0
* contact 0..0
* description 0..0
* useContext 1..4
* useContext ^slicing.discriminator.type = #value
* useContext ^slicing.discriminator.path = "code"
* useContext ^slicing.rules = #closed
* useContext ^slicing.description = "Sliced by usage context type: gender, age, workflow and venue (care type)."
* useContext.code from ActivityDefinitionUsageContextTypeVS (required)
* useContext contains
    Gender 0..1 and
    Age 0..1 and
    Category 0..1 and
    CareType 1..1
* useContext[Gender] ^short = "Genders the service may be provided to"
* useContext[Gender].code = $usage-context-type#gender
* useContext[Gender].value[x] only CodeableConcept
* useContext[Gender].valueCodeableConcept.coding 1..2
* useContext[Gender].valueCodeableConcept.coding from UsageContextGenderTypeVS (required)
* useContext[Age] ^short = "Age groups the service may be provided to"
* useContext[Age].code = $usage-context-type#age
* useContext[Age].value[x] only CodeableConcept
* useContext[Age].valueCodeableConcept.coding 1..2
* useContext[Age].valueCodeableConcept.coding from UsageContextAgeTypeVS (required)
* useContext[Category] ^short = "Service category (workflow): surgery, consultation, delivery, antenatal or other"
* useContext[Category].code = $usage-context-type#workflow
* useContext[Category].value[x] only CodeableConcept
* useContext[Category].valueCodeableConcept.coding 1..1
* useContext[Category].valueCodeableConcept.coding from ActivityDefinitionUsageContextWorkflowTypeVS (required)
* useContext[CareType] ^short = "Care types (venues); openIMIS care type \"both\" is sent as AMB and IMP"
* useContext[CareType].code = $usage-context-type#venue
* useContext[CareType].value[x] only CodeableConcept
* useContext[CareType].valueCodeableConcept.coding 1..2
* useContext[CareType].valueCodeableConcept.coding from ActivityDefinitionUsageContextVenueTypeVS (required)
* jurisdiction 0..0
* purpose 0..0
* usage 0..0
* copyright 0..0
* approvalDate 0..0
* lastReviewDate 0..0
* effectivePeriod 0..0
* topic from ActivityDefinitionServiceTypeVS (required)
* topic ^short = "Service type: curative or preventive"
* author 0..0
* editor 0..0
* reviewer 0..0
* endorser 0..0
* relatedArtifact 0..0
* library 0..0
* kind = #ServiceRequest
* profile 0..0
* code 0..0
* intent 0..0
* priority 0..0
* doNotPerform 0..0
* timing[x] only Timing
* timingTiming ^short = "How often the service may be provided to the same insuree"
* timingTiming.repeat.frequency 1..1
* timingTiming.repeat.frequency = 1
* timingTiming.repeat.period 1..1
* timingTiming.repeat.period ^short = "Minimum number of days between two provisions of the service"
* timingTiming.repeat.periodUnit 1..1
* timingTiming.repeat.periodUnit = #d
* location 0..0
* participant 0..0
* product[x] 0..0
* quantity 0..0
* dosage 0..0
* bodySite 0..0
* specimenRequirement 0..0
* observationRequirement 0..0
* observationResultRequirement 0..0
* transform 0..0
* dynamicValue 0..0
