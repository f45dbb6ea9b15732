-- Events, once: repeated reports of the same event are mentions of one event (GDELT's events +
-- mentions model). Each coded event row is a mention; mentions with the same dedup key
-- (by default: day, source code, target code, CAMEO code — Phoenix's one-a-day filter) form one
-- event group with NumMentions / NumSources / NumArticles. Only factual mentions (asserted or
-- reported) are grouped; intended, hypothetical and negated ones have no key.

ALTER TABLE events ADD COLUMN event_key TEXT;
CREATE INDEX events_key ON events(event_key);

CREATE TABLE event_groups (
    key            TEXT PRIMARY KEY,
    date           TEXT,
    source_code    TEXT,
    target_code    TEXT,
    cameo          TEXT NOT NULL,
    representative TEXT,            -- the highest-confidence, earliest mention
    num_mentions   INTEGER NOT NULL,
    num_sources    INTEGER NOT NULL,  -- distinct outlets
    num_articles   INTEGER NOT NULL,
    first_seen     TEXT,            -- earliest publication date among the mentions
    last_seen      TEXT
);
CREATE INDEX event_groups_date ON event_groups(date);

CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO settings (name, value) VALUES ('dedup_window', 'day'), ('dedup_code', 'full');

CREATE VIEW event_mentions AS
SELECT e.event_key AS event_key, e.id AS mention_id, e.article_id, a.outlet, a.url, a.published,
       e.date AS event_date, e.sentence_index, e.sentence_start, e.sentence_end,
       e.source_start, e.target_start, e.trigger_start, e.confidence, e.modality,
       length(a.body) AS doc_len
FROM events e JOIN articles a ON a.id = e.article_id
WHERE e.event_key IS NOT NULL;
