-- Sign-in: sessions, invitations, one-time codes, password resets, the trial
-- registry, admin alerts and the local dev outbox.
-- Secrets are never stored: tokens and codes are kept as hashes.

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,                                     -- public id: listed and revoked by it
  token_hash TEXT NOT NULL UNIQUE,                         -- SHA-256 of the cookie's token
  business_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  device_label TEXT NOT NULL,                              -- "Chrome on Android", from the User-Agent
  ip TEXT,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  idle_expires_at INTEGER NOT NULL,
  absolute_expires_at INTEGER NOT NULL,
  revoked_at INTEGER,
  FOREIGN KEY (business_id, user_id) REFERENCES users (business_id, id)
);
CREATE INDEX sessions_user ON sessions (business_id, user_id, revoked_at);

CREATE TABLE invitations (
  id TEXT PRIMARY KEY,
  business_id TEXT NOT NULL REFERENCES businesses (id),
  email TEXT,                                              -- lower-cased
  mobile TEXT,                                             -- E.164
  name TEXT,
  role TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
  token_hash TEXT NOT NULL UNIQUE,                         -- the emailed link's token
  invited_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  accepted_at INTEGER,
  accepted_user_id TEXT,
  revoked_at INTEGER,
  CHECK (email IS NOT NULL OR mobile IS NOT NULL),
  FOREIGN KEY (business_id, invited_by) REFERENCES users (business_id, id)
);
CREATE INDEX invitations_business ON invitations (business_id, created_at);
CREATE INDEX invitations_mobile ON invitations (mobile) WHERE accepted_at IS NULL AND revoked_at IS NULL;
CREATE INDEX invitations_email ON invitations (email) WHERE accepted_at IS NULL AND revoked_at IS NULL;

CREATE TABLE one_time_codes (
  id TEXT PRIMARY KEY,                                     -- the challenge id the client holds
  mobile TEXT NOT NULL,                                    -- E.164
  code_hash TEXT NOT NULL,                                 -- HMAC(AUTH_SECRET, id:code)
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  consumed_at INTEGER
);
CREATE INDEX one_time_codes_mobile ON one_time_codes (mobile, created_at);

CREATE TABLE password_resets (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  business_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  FOREIGN KEY (business_id, user_id) REFERENCES users (business_id, id)
);

-- Who already had a trial: keyed by HMAC(AUTH_SECRET, kind:value), never the
-- email or phone itself; kept one year after the trial started, then purged.
CREATE TABLE trial_registry (
  identity_hash TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('email', 'phone')),
  started_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);

-- Things an admin must see (an empty number pool now; fraud later).
CREATE TABLE alerts (
  id TEXT PRIMARY KEY,
  business_id TEXT NOT NULL REFERENCES businesses (id),
  kind TEXT NOT NULL,
  message TEXT NOT NULL,
  open_key TEXT,                                           -- one open alert per key; NULL once resolved
  created_at INTEGER NOT NULL,
  resolved_at INTEGER,
  UNIQUE (business_id, open_key)
);
CREATE INDEX alerts_business ON alerts (business_id, created_at);

-- Development only: messages the outbox adapters "sent" (APP_ENV=development).
CREATE TABLE dev_outbox (
  id TEXT PRIMARY KEY,
  channel TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
  recipient TEXT NOT NULL,
  subject TEXT,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX dev_outbox_recent ON dev_outbox (created_at);

-- Desktop sign-up waits for the emailed link: nothing is created, and nothing
-- reveals whether the email already has an account, until the owner of the
-- address confirms. Holds the password already hashed.
CREATE TABLE pending_signups (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  email TEXT NOT NULL,
  name TEXT NOT NULL,
  business_name TEXT NOT NULL,
  country TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
