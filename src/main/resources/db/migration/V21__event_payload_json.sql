-- Event payloads are written once and read back whole by every consumer, never queried inside by SQL.
-- json keeps the text as written: no parse into a binary form on insert and no re-serialisation on
-- each read (docs/decisions/0002-event-feed.md, "Payload as json").
alter table event_feed alter column payload type json using payload::json;
