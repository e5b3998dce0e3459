Extension: GroupConfirmation
Id: group-confirmation
Title: "Confirmation (Group)"
Description: "The confirmation of the family's status (for example its poverty status) by an authority: the confirmation number and, when known, the kind of authority that issued it."
* insert ExtensionContext(Group)
* extension contains
    number 1..1 MS and
    type 0..1 MS
* extension[number] ^short = "Confirmation number"
* extension[number].value[x] only string
* extension[type] ^short = "Kind of confirming authority"
* extension[type].value[x] only CodeableConcept
* extension[type].valueCodeableConcept from GroupConfirmationTypeVS (extensible)
