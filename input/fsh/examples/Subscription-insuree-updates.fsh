Instance: insuree-updates
InstanceOf: OpenimisSubscription
Usage: #example
Title: "Subscription: insuree updates"
Description: "A health information system asks openIMIS to POST every saved insuree whose insurance number starts with 0707 to its notification endpoint, until the end of 2026."
* text.status = #generated
* text.div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>A health information system asks openIMIS to POST every saved insuree whose insurance number starts with 0707 to its notification endpoint, until the end of 2026.</p></div>"
* status = #active
* end = "2026-12-31T23:59:59Z"
* reason = "Patient"
* criteria = "Patient?chfid__startswith=0707"
* channel.type = #rest-hook
* channel.endpoint = "https://hmis.example.org/openimis/notifications"
* channel.header = "{\"Authorization\": \"Bearer example-token\"}"
