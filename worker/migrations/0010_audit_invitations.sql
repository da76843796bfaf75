-- Inviting someone and revoking an invitation are admin changes (issue 9):
-- the audit log may name an invitation as its target. SQLite cannot change a
-- CHECK in place, so the table is rebuilt with its entries and its index.
-- Nothing references audit_log, so dropping the old table breaks no key.
CREATE TABLE audit_log_rebuilt (
  id TEXT PRIMARY KEY,
  business_id TEXT NOT NULL REFERENCES businesses (id),
  actor_user_id TEXT NOT NULL,
  action TEXT NOT NULL,                                    -- NOT NULL is also the batch's guard: see worker/admin/audit.ts
  target_type TEXT NOT NULL CHECK (target_type IN ('user', 'number', 'business', 'invitation')),
  target_id TEXT NOT NULL,
  before_json TEXT NOT NULL,
  after_json TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
INSERT INTO audit_log_rebuilt (id, business_id, actor_user_id, action, target_type, target_id, before_json, after_json, created_at)
  SELECT id, business_id, actor_user_id, action, target_type, target_id, before_json, after_json, created_at FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_rebuilt RENAME TO audit_log;
-- Newest first, keyset-paginated by (created_at, id).
CREATE INDEX audit_log_business ON audit_log (business_id, created_at, id);
