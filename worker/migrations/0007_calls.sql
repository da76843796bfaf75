-- Call records (docs/calls.md): what the Worker decided for each call, what
-- the media edge reported about it (signed events), and the record built from
-- both, with its cost. Who sees a record in their history is call_parties.
-- Times are integers: milliseconds since the Unix epoch (UTC).

-- One row per call, written when the Worker decides its route (keyed by the
-- SIP Call-ID, so the edge's events can be attributed without trusting the
-- edge for who is who), then rebuilt from the events as they arrive, in any
-- order. The routing columns never change after the decision; the rest is
-- derived (worker/calls/build-record.ts) and may be recomputed at any time.
CREATE TABLE calls (
  id TEXT PRIMARY KEY,                                     -- the record's public id (call_…)
  business_id TEXT NOT NULL REFERENCES businesses (id),
  call_id TEXT NOT NULL UNIQUE,                            -- SIP Call-ID: one record per call, however many devices rang
  -- The routing context, as decided.
  direction TEXT NOT NULL CHECK (direction IN ('internal', 'outbound', 'inbound')),
  source TEXT NOT NULL CHECK (source IN ('client', 'phone_network')),
  from_user TEXT NOT NULL,                                 -- the route request as the edge sent it (a retried request must match)
  dialled TEXT NOT NULL,
  caller_user_id TEXT,                                     -- internal and outbound calls
  remote_number TEXT,                                      -- E.164 of the other party: the dialled number (outbound), the caller (inbound)
  our_number TEXT,                                         -- the business number or override the call used on our side
  target_user_ids TEXT NOT NULL DEFAULT '[]',              -- JSON: the users the call was for (before do-not-disturb)
  rang_user_ids TEXT NOT NULL DEFAULT '[]',                -- JSON: the users the edge was told to ring
  action TEXT NOT NULL,                                    -- ring, phone_network, reject, block, voicemail
  decision_code INTEGER,                                   -- the SIP code of a reject or block
  plan TEXT NOT NULL CHECK (plan IN ('licensed', 'payg')), -- the business's plan when the call started: its rates apply
  routed_at INTEGER NOT NULL,                              -- the Worker's clock at the decision: history order, never changes
  -- Built from the edge's events.
  started_at INTEGER NOT NULL,
  ringing_at INTEGER,
  answered_at INTEGER,
  answered_user_id TEXT,                                   -- one of target_user_ids, never another business's user
  answered_contact TEXT,                                   -- the answering device's SIP Contact
  ended_at INTEGER,
  ended_by TEXT CHECK (ended_by IS NULL OR ended_by IN ('caller', 'callee', 'edge', 'sweep')),
  final_code INTEGER,                                      -- the failure's SIP code, if it failed
  outcome TEXT CHECK (outcome IS NULL OR outcome IN ('answered', 'missed', 'busy', 'declined', 'voicemail', 'failed', 'blocked')),
  duration_ms INTEGER NOT NULL DEFAULT 0,
  billable_seconds INTEGER NOT NULL DEFAULT 0,
  rate_prefix TEXT,                                        -- the rate that priced it (longest prefix), for the bill
  rate_millicents_per_minute INTEGER,
  cost_millicents INTEGER NOT NULL DEFAULT 0,              -- exact: 1/1000 of a cent
  cost_cents INTEGER NOT NULL DEFAULT 0,                   -- what is billed: the exact cost rounded up to a whole cent, per call
  events INTEGER NOT NULL DEFAULT 0,                       -- how many distinct edge events it was built from
  updated_at INTEGER NOT NULL,
  UNIQUE (business_id, id)
);
-- Admin lists and the billing export: by date, keyset (routed_at, id).
CREATE INDEX calls_business ON calls (business_id, routed_at, id);
-- spentSince: this month's costs.
CREATE INDEX calls_cost ON calls (business_id, started_at) WHERE cost_millicents > 0;
-- The sweep: calls still open.
CREATE INDEX calls_open ON calls (routed_at) WHERE outcome IS NULL OR ended_at IS NULL;

-- Who sees a call in their history: its caller and everyone it was for. The
-- sort key (routed_at) is the record's and never changes, so keyset pages
-- stay stable while calls are added; missed is kept up to date with the record.
CREATE TABLE call_parties (
  business_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  call_id TEXT NOT NULL,                                   -- calls.id
  role TEXT NOT NULL CHECK (role IN ('caller', 'callee')),
  routed_at INTEGER NOT NULL,
  missed INTEGER NOT NULL DEFAULT 0 CHECK (missed IN (0, 1)),
  seen INTEGER NOT NULL DEFAULT 0 CHECK (seen IN (0, 1)),  -- a missed call the user has looked at (the badge)
  PRIMARY KEY (business_id, user_id, call_id),
  -- No key to users: records outlive accounts (84 months against 12, PRODUCT.md).
  FOREIGN KEY (business_id, call_id) REFERENCES calls (business_id, id) ON DELETE CASCADE
);
CREATE INDEX call_parties_history ON call_parties (business_id, user_id, routed_at, call_id);
CREATE INDEX call_parties_role ON call_parties (business_id, user_id, role, routed_at, call_id);
CREATE INDEX call_parties_missed ON call_parties (business_id, user_id, routed_at, call_id) WHERE missed = 1;
CREATE INDEX call_parties_unseen ON call_parties (business_id, user_id, routed_at) WHERE missed = 1 AND seen = 0;
CREATE INDEX call_parties_call ON call_parties (business_id, call_id);

-- Every event the edge signed, once: a duplicate id is acknowledged and not
-- applied again. business_id is filled from the call's record (the edge does
-- not say); NULL when no record matches (a call routed while the Worker was
-- down), swept after a week.
CREATE TABLE call_events (
  id TEXT PRIMARY KEY,                                     -- the edge's event id: Call-ID and type
  call_id TEXT NOT NULL,                                   -- SIP Call-ID
  business_id TEXT,
  type TEXT NOT NULL CHECK (type IN ('start', 'ringing', 'answer', 'end', 'failed')),
  at INTEGER NOT NULL,                                     -- the edge's clock
  body TEXT NOT NULL,                                      -- the event as signed (JSON)
  received_at INTEGER NOT NULL
);
CREATE INDEX call_events_call ON call_events (call_id);
CREATE INDEX call_events_unattributed ON call_events (received_at) WHERE business_id IS NULL;
CREATE INDEX call_events_age ON call_events (received_at);

-- The rate card: per plan, by destination prefix (E.164 digits without "+";
-- the longest matching prefix wins, '' matches everything). Prices in
-- millicents (1/1000 of a cent) per minute, so fractions of a cent stay exact.
-- A call is billed for min_seconds at least, then per started increment:
-- licensed 60/60 (per started minute), pay-as-you-go 60/1 (a minute, then
-- per second). See docs/calls.md for why.
CREATE TABLE rates (
  plan TEXT NOT NULL CHECK (plan IN ('licensed', 'payg')),
  prefix TEXT NOT NULL CHECK (prefix NOT GLOB '*[^0-9]*'),
  description TEXT NOT NULL,
  millicents_per_minute INTEGER NOT NULL CHECK (millicents_per_minute >= 0),
  min_seconds INTEGER NOT NULL CHECK (min_seconds >= 0),
  increment_seconds INTEGER NOT NULL CHECK (increment_seconds >= 1),
  PRIMARY KEY (plan, prefix)
);

INSERT INTO rates (plan, prefix, description, millicents_per_minute, min_seconds, increment_seconds) VALUES
  ('licensed', '',      'Rest of the world',            25000, 60, 60),
  ('licensed', '44',    'UK landlines',                  1000, 60, 60),
  ('licensed', '447',   'UK mobiles',                    4000, 60, 60),
  ('licensed', '4470',  'UK personal numbers (070)',    40000, 60, 60),
  ('licensed', '4487',  'UK business rate (087)',        9000, 60, 60),
  ('licensed', '449',   'UK premium rate (09)',        150000, 60, 60),
  ('licensed', '1',     'US and Canada',                 1000, 60, 60),
  ('licensed', '1900',  'US premium rate (1-900)',     200000, 60, 60),
  ('licensed', '33',    'France landlines',              2000, 60, 60),
  ('licensed', '336',   'France mobiles',                6000, 60, 60),
  ('licensed', '337',   'France mobiles',                6000, 60, 60),
  ('licensed', '49',    'Germany landlines',             2000, 60, 60),
  ('licensed', '4915',  'Germany mobiles',               8000, 60, 60),
  ('licensed', '4916',  'Germany mobiles',               8000, 60, 60),
  ('licensed', '4917',  'Germany mobiles',               8000, 60, 60),
  ('licensed', '353',   'Ireland',                       2500, 60, 60),
  ('licensed', '91',    'India',                         3000, 60, 60),
  ('payg',     '',      'Rest of the world',            30000, 60, 1),
  ('payg',     '44',    'UK landlines',                  1500, 60, 1),
  ('payg',     '447',   'UK mobiles',                    5000, 60, 1),
  ('payg',     '4470',  'UK personal numbers (070)',    45000, 60, 1),
  ('payg',     '4487',  'UK business rate (087)',       10000, 60, 1),
  ('payg',     '449',   'UK premium rate (09)',        160000, 60, 1),
  ('payg',     '1',     'US and Canada',                 1500, 60, 1),
  ('payg',     '1900',  'US premium rate (1-900)',     220000, 60, 1),
  ('payg',     '33',    'France landlines',              2500, 60, 1),
  ('payg',     '336',   'France mobiles',                7000, 60, 1),
  ('payg',     '337',   'France mobiles',                7000, 60, 1),
  ('payg',     '49',    'Germany landlines',             2500, 60, 1),
  ('payg',     '4915',  'Germany mobiles',               9000, 60, 1),
  ('payg',     '4916',  'Germany mobiles',               9000, 60, 1),
  ('payg',     '4917',  'Germany mobiles',               9000, 60, 1),
  ('payg',     '353',   'Ireland',                       3000, 60, 1),
  ('payg',     '91',    'India',                         3500, 60, 1);
