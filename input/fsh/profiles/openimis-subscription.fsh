Profile: OpenimisSubscription
Parent: Subscription
Id: openimis-subscription
Title: "openIMIS Subscription"
Description: "A rest-hook subscription to openIMIS changes (insurees, health facilities, invoices). When a matching resource is saved, openIMIS POSTs the bare resource (not a Bundle) as JSON to the endpoint."
* obeys oi-subscription-1
* id ^short = "The openIMIS subscription UUID"
* status ^short = "active | off (the only statuses openIMIS accepts)"
* contact 0..0
* end 1..1
* end ^short = "When openIMIS disables the subscription (required by openIMIS)"
* criteria ^short = "Resource and filters, e.g. Patient?chfid__startswith=0 (filters are openIMIS field lookups)"
* reason ^short = "The name of the subscribed resource"
* channel.type = #rest-hook
* channel.type ^short = "Only rest-hook is supported"
* channel.endpoint 1..1
* channel.endpoint ^short = "URL openIMIS POSTs the changed resource to"
* channel.payload 0..0
* channel.header ^short = "HTTP headers as one JSON object string; openIMIS keeps only the first entry"
