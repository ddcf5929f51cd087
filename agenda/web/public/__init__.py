"""The public calendar: the listing, the month view, the event page."""
