-- Contacts: each belongs to one user of one business (colleagues never see
-- each other's), kept centrally and synchronised to every device by cursor.
-- Keys are composite (business_id, user_id, id): the database itself refuses
-- a number or an email pointing at another user's contact, and an id a
-- device chose can never collide with anyone else's.
-- Times are integers: milliseconds since the Unix epoch (UTC).

CREATE TABLE contacts (
  business_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  id TEXT NOT NULL,                                        -- chosen by the creating device, so a retried create never duplicates
  first_name TEXT NOT NULL DEFAULT '',
  last_name TEXT NOT NULL DEFAULT '',
  company TEXT NOT NULL DEFAULT '',
  sort_key TEXT NOT NULL DEFAULT '',                       -- display name folded (lower case, no accents): list order
  search_text TEXT NOT NULL DEFAULT '',                    -- names and company folded: server-side search
  source TEXT NOT NULL CHECK (source IN ('app', 'device', 'file')),
  favourite INTEGER NOT NULL DEFAULT 0 CHECK (favourite IN (0, 1)),
  version INTEGER NOT NULL DEFAULT 1,                      -- bumped on every change, deletion included: optimistic concurrency
  seq INTEGER NOT NULL,                                    -- the user's change sequence at the last change: the sync cursor
  import_id TEXT,                                          -- the import that created it, so that import can be rolled back
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted_at INTEGER,                                      -- tombstone: names and numbers erased, kept so devices learn of it
  PRIMARY KEY (business_id, user_id, id),
  FOREIGN KEY (business_id, user_id) REFERENCES users (business_id, id)
);
-- The sync pull: changes after a cursor, in order. Unique: a cursor never splits a change.
CREATE UNIQUE INDEX contacts_seq ON contacts (business_id, user_id, seq);
-- The list (favourites first, then by name) and the per-user count for the limit.
CREATE INDEX contacts_list ON contacts (business_id, user_id, favourite DESC, sort_key, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_import ON contacts (business_id, user_id, import_id) WHERE import_id IS NOT NULL;
-- The daily purge of old tombstones.
CREATE INDEX contacts_tombstones ON contacts (deleted_at) WHERE deleted_at IS NOT NULL;

-- Phone numbers, as typed and in E.164 (read in the business's country).
-- Only live contacts have rows here: a deletion erases them.
CREATE TABLE contact_numbers (
  business_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  contact_id TEXT NOT NULL,
  position INTEGER NOT NULL,                               -- order within the contact; gaps are allowed
  label TEXT NOT NULL CHECK (label IN ('mobile', 'work', 'home', 'other')),
  typed TEXT NOT NULL,
  e164 TEXT NOT NULL,
  digits TEXT NOT NULL,                                    -- the typed number's digits: fragment search on what the user sees
  import_id TEXT,                                          -- added to an existing contact by this import (merge): undone by its rollback
  PRIMARY KEY (business_id, user_id, contact_id, position),
  FOREIGN KEY (business_id, user_id, contact_id) REFERENCES contacts (business_id, user_id, id) ON DELETE CASCADE
);
-- Caller identity: which of this user's contacts has this number.
CREATE INDEX contact_numbers_e164 ON contact_numbers (business_id, user_id, e164);

CREATE TABLE contact_emails (
  business_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  contact_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  label TEXT NOT NULL CHECK (label IN ('work', 'home', 'other')),
  value TEXT NOT NULL,
  import_id TEXT,
  PRIMARY KEY (business_id, user_id, contact_id, position),
  FOREIGN KEY (business_id, user_id, contact_id) REFERENCES contacts (business_id, user_id, id) ON DELETE CASCADE
);

-- One row per user: the change counter every write bumps in the same batch,
-- and how far tombstones have been purged (an older cursor must start over).
CREATE TABLE contact_sync (
  business_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  last_seq INTEGER NOT NULL DEFAULT 0,
  purged_seq INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (business_id, user_id),
  FOREIGN KEY (business_id, user_id) REFERENCES users (business_id, id)
);

-- Import batches already applied, written in the same D1 batch as their
-- contacts: a retried batch replays its result instead of importing twice.
CREATE TABLE contact_import_batches (
  business_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  import_id TEXT NOT NULL,
  batch INTEGER NOT NULL,
  result TEXT NOT NULL,                                    -- the batch's summary (JSON), replayed as is
  created_at INTEGER NOT NULL,
  PRIMARY KEY (business_id, user_id, import_id, batch),
  FOREIGN KEY (business_id, user_id) REFERENCES users (business_id, id)
);
CREATE INDEX contact_import_batches_age ON contact_import_batches (created_at);
