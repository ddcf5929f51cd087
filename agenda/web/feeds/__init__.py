"""The calendar as feeds to subscribe to: iCalendar, Atom, CSV."""
