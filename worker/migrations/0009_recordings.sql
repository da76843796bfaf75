-- Call recordings from the media edge (docs/recording.md). One per call
-- record: recordings.call_id is the record's id (calls.id), unique per
-- business, so an upload the edge repeats is recognised. The row is written
-- before the audio ('uploading') and turned 'ready' once R2 has all of it:
-- an upload that died halfway leaves a row naming its R2 key, which the next
-- attempt reuses or the daily sweep deletes with the key. Only 'ready' ones
-- are listed and played.
ALTER TABLE recordings ADD COLUMN state TEXT NOT NULL DEFAULT 'ready' CHECK (state IN ('uploading', 'ready'));
ALTER TABLE recordings ADD COLUMN size_bytes INTEGER NOT NULL DEFAULT 0 CHECK (size_bytes >= 0);
ALTER TABLE recordings ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX recordings_call ON recordings (business_id, call_id);
-- The sweep of abandoned uploads.
CREATE INDEX recordings_uploading ON recordings (updated_at) WHERE state = 'uploading';
