Profile: OpenimisGroup
Parent: Group
Id: openimis-group
Title: "openIMIS Group (Family)"
Description: "A family (household or other group) registered in openIMIS. Policies cover a family as a whole; its members are insurees (openIMIS Patient), one of them its head."
* extension contains
    group-address named address 1..1 MS and
    group-poverty-status named poverty 0..1 and
    group-type named groupType 0..1 and
    group-confirmation named confirmation 0..1
* insert OpenimisIdentifierSlicing
* type = #person
* actual = true
* code 0..0
* quantity 1..1
* quantity ^short = "Number of members of the family"
* managingEntity 0..0
* characteristic 0..0
* member 1..*
* member.entity only Reference(openimis-patient)
* member.period 0..0
* member.inactive 0..0
