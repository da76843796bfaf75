-- Which device answered a call, in words a person understands (docs/calls.md,
-- "Which device answered"). Each session gets a public device id: the SIP
-- credentials give it to the PWA, which puts it in its SIP Contact; ingestion
-- finds the session by the answering Contact's id and copies its label onto
-- the record. The id names a session without being usable as one.
ALTER TABLE sessions ADD COLUMN device_id TEXT;                -- 24 hex digits, random; NULL only for sessions written outside startSession
UPDATE sessions SET device_id = lower(hex(randomblob(12))) WHERE device_id IS NULL;
CREATE UNIQUE INDEX sessions_device ON sessions (device_id);

-- The answering device's label ("Chrome on Android") as its session had it,
-- kept once known: sessions are deleted a month after they end, records are not.
ALTER TABLE calls ADD COLUMN answered_device TEXT;
