Profile: OpenimisMedication
Parent: Medication
Id: openimis-medication
Title: "openIMIS Medical Item (Medication)"
Description: "A medical item of the openIMIS price list (drug or medical consumable): its code, name, package, price, type, who may receive it and how often."
* extension contains
    medication-usage-context named useContext 0..4 and
    unit-price named unitPrice 1..1 and
    medication-frequency named timing 0..1 and
    medication-type named type 1..1 and
    medication-level named level 0..1
* extension[useContext] ^short = "Genders, age groups and care types the item may be prescribed for"
* extension[unitPrice] ^short = "Price of one unit of the item"
* extension[timing] ^short = "How often the item may be dispensed to the same insuree"
* extension[type] ^short = "Drug or medical consumable"
* extension[level] ^short = "Care level; always M (Medication), output only"
* extension[level].valueCodeableConcept = MedicationLevelCS#M
* insert OpenimisIdentifierSlicing
* code 1..1
* code.text 1..1
* code.text ^short = "Name of the medical item"
* status = #active
* manufacturer 0..0
* form ^short = "Package form as configured in openIMIS"
// 1.0.0 forbade the denominator, but a Ratio with a numerator alone breaks rat-1, so no instance
// could carry amount at all. The denominator is allowed again.
* amount.numerator 1..1
* amount.numerator.value 1..1
* ingredient 0..0
* batch 0..0
