-- Businesses (tenants), their users and their numbers.
-- Every business-owned row carries business_id; references between
-- business-owned rows are composite (business_id, id) so that the database
-- itself refuses a row pointing into another business.
-- Times are integers: milliseconds since the Unix epoch (UTC).

CREATE TABLE businesses (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  country TEXT NOT NULL,                                   -- ISO 3166-1 alpha-2, for national number formats
  plan TEXT NOT NULL DEFAULT 'licensed' CHECK (plan IN ('licensed', 'payg')),
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('trial', 'active', 'suspended', 'terminated')),
  trial_ends_at INTEGER,
  spending_limit_cents INTEGER CHECK (spending_limit_cents IS NULL OR spending_limit_cents >= 0),
  created_at INTEGER NOT NULL,
  terminated_at INTEGER
);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  business_id TEXT NOT NULL REFERENCES businesses (id),
  name TEXT NOT NULL,
  email TEXT UNIQUE,                                       -- lower-cased; sign-in must be unambiguous across businesses
  mobile TEXT UNIQUE,                                      -- E.164
  role TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'terminated')),
  password_hash TEXT,                                      -- self-describing: algorithm$params$salt$hash
  override_number_id TEXT,                                 -- calls go out and come in on this number instead of the assigned one
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  terminated_at INTEGER,                                   -- starts the retention clock
  UNIQUE (business_id, id),
  CHECK (email IS NOT NULL OR mobile IS NOT NULL),
  FOREIGN KEY (business_id, override_number_id) REFERENCES numbers (business_id, id)
);
CREATE INDEX users_business ON users (business_id, name);

CREATE TABLE numbers (
  id TEXT PRIMARY KEY,
  business_id TEXT NOT NULL REFERENCES businesses (id),
  e164 TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL DEFAULT 'pool' CHECK (kind IN ('pool', 'main')),
  assigned_user_id TEXT UNIQUE,                            -- at most one number allocated per user
  created_at INTEGER NOT NULL,
  UNIQUE (business_id, id),
  FOREIGN KEY (business_id, assigned_user_id) REFERENCES users (business_id, id)
);
CREATE INDEX numbers_free ON numbers (business_id, kind, assigned_user_id);
