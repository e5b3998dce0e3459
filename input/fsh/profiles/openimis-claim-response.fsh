Profile: OpenimisClaimResponse
Parent: ClaimResponse
Id: openimis-claim-response
Title: "openIMIS Claim Response"
Description: "The adjudication state of an openIMIS claim: per line, one adjudication for each claim status the claim has passed (entered, checked, processed, valuated) or a single rejection, and the matching totals. The backend rebuilds it from the claim, so it has the claim's UUID as id."
* obeys oi-clmresp-1 and oi-clmresp-2 and oi-clmresp-3
* insert OpenimisIdentifierSlicing
* identifier 2..2
* identifier[UUID] 1..1
* status = #active
* type from ClaimVisitTypeVS (required)
* subType 0..0
* use = #claim
* patient only Reference(openimis-patient)
* created ^short = "Date the response was built"
// openIMIS has one insurer, the implementation itself. The backend 1.4 writes the bare literal
// "openIMIS" here, which is not a resolvable reference, so the profile does not fix it.
* insurer only Reference(openimis-insurance-organization)
* requestor 1..1
* requestor only Reference(openimis-claim-administrator-practitioner)
// the backend always points back to the adjudicated claim
* request 1..1
* request only Reference(openimis-claim)
* outcome ^comment = "Follows the claim status: entered gives queued; checked and processed give partial; rejected and valuated give complete."
* disposition 0..0
* preAuthRef 0..0
* preAuthPeriod 0..0
* payeeType 0..0
* item 1..*
* item.extension contains claim-item-reference named itemReference 1..1
* item.extension[itemReference] ^short = "The medical item (Medication) or service (ActivityDefinition) adjudicated"
// the backend links a line to the process note that records its price origin
* item.noteNumber 0..1
* item.adjudication 1..4
* item.adjudication ^short = "One adjudication per claim status reached, or one rejection"
* item.adjudication.category from ClaimStatusVS (required)
* item.adjudication.reason 1..1
* item.adjudication.reason.coding 1..1
* item.adjudication.reason from ClaimRejectionReasonsVS (required)
* item.adjudication.reason ^short = "0 when accepted, otherwise the rejection reason"
* item.adjudication.amount 1..1
* item.adjudication.amount ^short = "Unit price at this status"
* item.adjudication.amount.value 1..1
* item.adjudication.value 1..1
* item.adjudication.value ^short = "Quantity at this status"
* item.detail 0..0
* addItem 0..0
* adjudication 0..0
* total 1..4
* total ^short = "One total per claim status reached"
* total.category from ClaimStatusVS (required)
* total.amount.value 1..1
* payment 0..0
* fundsReserve 0..0
* formCode 0..0
* form 0..0
* processNote 0..1
* processNote ^short = "Price origin of the adjudicated lines"
* processNote.type 0..0
* processNote.language 0..0
* communicationRequest 0..1
* communicationRequest only Reference(openimis-communication-request)
* communicationRequest ^short = "Feedback request of the claim, when the user may see claim feedback"
* insurance 0..0
* error 0..0
