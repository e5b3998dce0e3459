ValueSet: CommunicationRequestStatusVS
Id: communication-request-status
Title: "Feedback Request Status"
Description: "Statuses a claim feedback request (CommunicationRequest) can have in openIMIS."
* ^status = #active
* ^experimental = false
* $request-status#active "Active"
* $request-status#revoked "Revoked"
* $request-status#completed "Completed"
