-- Presence: the do-not-disturb switch, per user. D1 is its system of record:
-- the call routing decision reads it (isDoNotDisturb), and the business's
-- LiveHub reloads it whenever the object starts. Who is online, ringing or on
-- a call is live state and lives in the hub, not here.

ALTER TABLE users ADD COLUMN dnd INTEGER NOT NULL DEFAULT 0 CHECK (dnd IN (0, 1));
-- When the switch last changed (ms since the epoch); NULL if never. Changes
-- apply only when newer, so two devices racing end on the later one.
ALTER TABLE users ADD COLUMN dnd_changed_at INTEGER;

-- The hub loads the switches of a business's users when it starts; most
-- users never touch theirs.
CREATE INDEX users_dnd ON users (business_id, dnd_changed_at) WHERE dnd_changed_at IS NOT NULL;
