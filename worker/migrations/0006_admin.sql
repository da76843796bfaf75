-- The admin's settings: extensions, licences (seats and their features), call
-- recording, and the audit log of every admin change. Plan and spending limit
-- already live on businesses (0001).

-- Seats the business has bought. Bought, not chosen: billing (or the platform
-- operator) sets it, the admin only hands the seats out.
ALTER TABLE businesses ADD COLUMN seats INTEGER NOT NULL DEFAULT 0 CHECK (seats >= 0);
-- Call recording is sold separately: recording_purchased is set by billing;
-- recording_enabled is the admin's switch and only matters when purchased.
ALTER TABLE businesses ADD COLUMN recording_purchased INTEGER NOT NULL DEFAULT 0 CHECK (recording_purchased IN (0, 1));
ALTER TABLE businesses ADD COLUMN recording_enabled INTEGER NOT NULL DEFAULT 0 CHECK (recording_enabled IN (0, 1));

-- Short internal numbers (201) for colleague-to-colleague calls: one per
-- user, unique within the business, 2 to 6 digits.
CREATE TABLE extensions (
  business_id TEXT NOT NULL REFERENCES businesses (id),
  extension TEXT NOT NULL CHECK (length(extension) BETWEEN 2 AND 6 AND extension NOT GLOB '*[^0-9]*'),
  user_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (business_id, extension),
  UNIQUE (business_id, user_id),
  FOREIGN KEY (business_id, user_id) REFERENCES users (business_id, id)
);

-- A seat given to a user, and which features it has. No row: no seat, no
-- features. The seats in use are the rows; never more than businesses.seats
-- (checked by the conditional insert that hands a seat out).
CREATE TABLE user_licences (
  business_id TEXT NOT NULL REFERENCES businesses (id),
  user_id TEXT NOT NULL,
  calling INTEGER NOT NULL DEFAULT 1 CHECK (calling IN (0, 1)),
  sms INTEGER NOT NULL DEFAULT 1 CHECK (sms IN (0, 1)),
  voicemail INTEGER NOT NULL DEFAULT 1 CHECK (voicemail IN (0, 1)),
  recording INTEGER NOT NULL DEFAULT 0 CHECK (recording IN (0, 1)),
  assigned_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (business_id, user_id),
  FOREIGN KEY (business_id, user_id) REFERENCES users (business_id, id)
);

-- Call recordings, for the business's admins only. The media edge fills it
-- (audio in R2 under r2_key); call_id points at the call record once that
-- table exists.
CREATE TABLE recordings (
  id TEXT PRIMARY KEY,
  business_id TEXT NOT NULL REFERENCES businesses (id),
  call_id TEXT NOT NULL,
  r2_key TEXT NOT NULL UNIQUE,
  duration_ms INTEGER NOT NULL CHECK (duration_ms >= 0),
  created_at INTEGER NOT NULL
);
CREATE INDEX recordings_business ON recordings (business_id, created_at, id);

-- Every admin change: who, what, when, before and after (JSON of the changed
-- fields only: ids and settings, no names, emails or mobiles, so the log
-- holds no personal data that retention would have to chase). Written in the
-- same batch as the change. No foreign keys to users: an entry outlives the
-- rows it speaks of.
CREATE TABLE audit_log (
  id TEXT PRIMARY KEY,
  business_id TEXT NOT NULL REFERENCES businesses (id),
  actor_user_id TEXT NOT NULL,
  action TEXT NOT NULL,                                    -- NOT NULL is also the batch's guard: see worker/admin/audit.ts
  target_type TEXT NOT NULL CHECK (target_type IN ('user', 'number', 'business')),
  target_id TEXT NOT NULL,
  before_json TEXT NOT NULL,
  after_json TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
-- Newest first, keyset-paginated by (created_at, id).
CREATE INDEX audit_log_business ON audit_log (business_id, created_at, id);

-- Businesses that existed before licences keep working: each gets a seat per
-- member who is not terminated, with calling, SMS and voicemail (recording
-- was never sold before).
UPDATE businesses SET seats = (SELECT COUNT(*) FROM users u WHERE u.business_id = businesses.id AND u.status != 'terminated');
INSERT INTO user_licences (business_id, user_id, calling, sms, voicemail, recording, assigned_at, updated_at)
  SELECT business_id, id, 1, 1, 1, 0, now_ms, now_ms
    FROM users, (SELECT CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) AS now_ms)
   WHERE status != 'terminated';
