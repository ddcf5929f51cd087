// Reads an iCalendar document on stdin with ical.js (an independent parser) and prints JSON:
// the calendar's properties, every VEVENT's main properties, and the occurrences of every
// series between argv[2] and argv[3] (ISO instants), with overrides and EXDATE applied.
// Used by tests/export/test_ics_readers.py; ical.js is pinned in package.json (npm ci).
import ICAL from "ical.js";

const input = await new Promise((resolve) => {
  let data = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => { data += chunk; });
  process.stdin.on("end", () => resolve(data));
});
const [from, until] = [process.argv[2], process.argv[3]].map((iso) =>
  ICAL.Time.fromJSDate(new Date(iso), true));

const calendar = new ICAL.Component(ICAL.parse(input));
for (const zone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(new ICAL.Timezone(zone));
}
const vevents = calendar.getAllSubcomponents("vevent");

function instant(time) {
  return time.isDate ? time.toString() : time.toJSDate().toISOString();
}

function describe(component) {
  const event = new ICAL.Event(component);
  const value = (name) => component.getFirstPropertyValue(name);
  return {
    uid: event.uid, summary: event.summary, description: event.description,
    location: event.location, status: value("status"), sequence: event.sequence,
    recurrence_id: event.recurrenceId ? instant(event.recurrenceId) : null,
    start: instant(event.startDate), end: instant(event.endDate),
    categories: component.getAllProperties("categories").flatMap((p) => p.getValues()),
    url: value("url"), geo: value("geo"),
    organizer: component.getFirstProperty("organizer")?.getParameter("cn") ?? null,
    rrule: value("rrule")?.toString() ?? null,
  };
}

function occurrences(master, exceptions) {
  const event = new ICAL.Event(master);
  exceptions.forEach((exception) => event.relateException(exception));
  const found = [];
  if (!event.isRecurring()) {
    found.push({ uid: event.uid, start: instant(event.startDate), end: instant(event.endDate),
                 summary: event.summary, status: master.getFirstPropertyValue("status") });
    return found;
  }
  const iterator = event.iterator();
  for (let next = iterator.next(); next && next.compare(until) < 0; next = iterator.next()) {
    const details = event.getOccurrenceDetails(next);
    if (details.endDate.compare(from) <= 0) continue;
    found.push({ uid: event.uid, start: instant(details.startDate),
                 end: instant(details.endDate), summary: details.item.summary,
                 status: details.item.component.getFirstPropertyValue("status") });
  }
  return found;
}

const byUid = new Map();
for (const component of vevents) {
  const uid = component.getFirstPropertyValue("uid");
  if (!byUid.has(uid)) byUid.set(uid, { master: null, exceptions: [] });
  const series = byUid.get(uid);
  if (component.hasProperty("recurrence-id")) series.exceptions.push(component);
  else series.master = component;
}
const expanded = [];
for (const series of byUid.values()) {
  if (series.master) expanded.push(...occurrences(series.master, series.exceptions));
  else series.exceptions.forEach((c) => expanded.push(...occurrences(c, [])));
}

process.stdout.write(JSON.stringify({
  calendar: {
    name: calendar.getFirstPropertyValue("x-wr-calname"),
    refresh: calendar.getFirstProperty("refresh-interval")?.toICALString() ?? null,
    ttl: calendar.getFirstPropertyValue("x-published-ttl"),
    timezones: calendar.getAllSubcomponents("vtimezone").map((z) =>
      z.getFirstPropertyValue("tzid")),
  },
  events: vevents.map(describe),
  occurrences: expanded,
}));
