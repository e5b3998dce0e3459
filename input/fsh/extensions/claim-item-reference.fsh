Extension: ClaimItemReference
Id: claim-item-reference
Title: "Claim Item Reference"
Description: "Points a claim line, or the adjudicated line of a claim response, to the openIMIS medical item (Medication) or medical service (ActivityDefinition) it bills."
* insert ExtensionContext(Claim.item)
* insert ExtensionContext(ClaimResponse.item)
* value[x] only Reference(openimis-medication or openimis-activitiy-definition)
