-- Voicemail: the messages callers leave and each user's greeting. The audio
-- lives in R2 (binding AUDIO) under keys made of random ids only
-- (voicemail/messages/<id>, voicemail/greetings/<id>), so a key never says
-- whose it is or who called; these rows are the only way from a user to it.
-- A row and its object are written and deleted together by the Worker
-- (worker/voicemail/): R2 first on the way in, R2 first on the way out, so
-- audio never outlives the row that lets retention find it.
-- Times are integers: milliseconds since the Unix epoch (UTC).

CREATE TABLE voicemail_messages (
  id TEXT PRIMARY KEY,                                     -- vm_…, random
  business_id TEXT NOT NULL REFERENCES businesses (id),
  user_id TEXT NOT NULL,                                   -- the mailbox owner: nobody else ever sees it
  call_id TEXT NOT NULL,                                   -- the SIP Call-ID that left it: an upload retried by the edge is the same message
  from_number TEXT,                                        -- the caller's E.164, when they called from the phone network (null: withheld)
  from_user_id TEXT,                                       -- the colleague who called (no foreign key: their account may be deleted while the owner keeps the message)
  received_at INTEGER NOT NULL,                            -- when the caller started speaking (the edge's clock)
  duration_ms INTEGER NOT NULL CHECK (duration_ms >= 0),
  r2_key TEXT NOT NULL UNIQUE,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL CHECK (size > 0),                  -- bytes: the Range arithmetic uses it
  heard_at INTEGER,                                        -- null: not heard yet
  created_at INTEGER NOT NULL,
  UNIQUE (business_id, call_id),
  UNIQUE (business_id, id),
  FOREIGN KEY (business_id, user_id) REFERENCES users (business_id, id)
);
-- The inbox, newest first, and the retention sweep by owner.
CREATE INDEX voicemail_inbox ON voicemail_messages (business_id, user_id, received_at DESC, id DESC);
-- The unheard count.
CREATE INDEX voicemail_unheard ON voicemail_messages (business_id, user_id) WHERE heard_at IS NULL;

-- At most one recorded greeting per user; no row means the edge's default greeting.
CREATE TABLE voicemail_greetings (
  business_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  r2_key TEXT NOT NULL UNIQUE,                             -- a new object per recording: the old one is deleted once replaced
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL CHECK (size > 0),
  duration_ms INTEGER NOT NULL CHECK (duration_ms >= 0),
  etag TEXT NOT NULL,                                      -- random per recording: the edge's cache key (ETag / If-None-Match)
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (business_id, user_id),
  FOREIGN KEY (business_id, user_id) REFERENCES users (business_id, id)
);
