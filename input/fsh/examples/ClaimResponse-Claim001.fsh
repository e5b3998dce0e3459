Instance: ClaimResponse-Claim001
InstanceOf: OpenimisClaimResponse
Usage: #example
Title: "Claim Response: Claim001 checked"
Description: "Claim001 after the check: the consultation is accepted at 40 EUR, the paracetamol line is rejected because the quantity is over the limit, so 45 EUR was claimed and 40 EUR approved. The backend builds this response from the claim, hence the claim's identifiers."
* text.status = #generated
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Claim001 after the check: the consultation is accepted at 40 EUR, the paracetamol line is rejected because the quantity is over the limit, so 45 EUR was claimed and 40 EUR approved. The backend builds this response from the claim, hence the claim's identifiers.</p></div>"
* id = "Claim001"
// the backend gives the response the identifiers of the claim it adjudicates
* identifier[Code].type = OpenimisIdentifiersCS#Code "Unique code"
* identifier[Code].value = "Claim001"
* identifier[UUID].type = OpenimisIdentifiersCS#UUID "UUID unique identifier"
* identifier[UUID].value = "3f6c2a8e-91d4-4b7a-8e25-6d0b4c7f1a92"
* status = #active
* type = ClaimVisitTypeCS#O "Other"
* use = #claim
* patient = Reference(Patient/john-doe) "070707070"
* created = "2025-09-18"
* insurer = Reference(Organization/openIMIS-Implementation)
* requestor = Reference(Practitioner/ca-amina-rapta) "CA0001"
* request = Reference(Claim/Claim001) "Claim001"
* outcome = #partial
* item[0].extension[itemReference].valueReference = Reference(ActivityDefinition/general-consultation) "A1"
* item[0].itemSequence = 1
* item[0].adjudication[0].category = ClaimStatusCS#2 "Entered"
* item[0].adjudication[0].reason = ClaimRejectionReasonsCS#0 "ACCEPTED"
* item[0].adjudication[0].amount.value = 40.00
* item[0].adjudication[0].amount.currency = #EUR
* item[0].adjudication[0].value = 1
* item[0].adjudication[1].category = ClaimStatusCS#4 "Checked"
* item[0].adjudication[1].reason = ClaimRejectionReasonsCS#0 "ACCEPTED"
* item[0].adjudication[1].amount.value = 40.00
* item[0].adjudication[1].amount.currency = #EUR
* item[0].adjudication[1].value = 1
* item[1].extension[itemReference].valueReference = Reference(Medication/paracetamol-500) "0004"
* item[1].itemSequence = 2
* item[1].adjudication[0].category = ClaimStatusCS#1 "Rejected"
* item[1].adjudication[0].reason = ClaimRejectionReasonsCS#16 "QTY OVER LIMIT"
* item[1].adjudication[0].amount.value = 5.00
* item[1].adjudication[0].amount.currency = #EUR
* item[1].adjudication[0].value = 10
* total[0].category = ClaimStatusCS#2 "Entered"
* total[0].amount.value = 45.00
* total[0].amount.currency = #EUR
* total[1].category = ClaimStatusCS#4 "Checked"
* total[1].amount.value = 40.00
* total[1].amount.currency = #EUR
* communicationRequest = Reference(CommunicationRequest/Claim001-feedback)
