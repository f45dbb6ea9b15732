-- Indexes for the event filters the CLI, API and UI share (store/query.py): actor and country
-- sides with their date, places, and the sorts by confidence and Goldstein.

CREATE INDEX events_source ON events(source_country, date);
CREATE INDEX events_target ON events(target_country, date);
CREATE INDEX events_place ON events(place_country, date);
CREATE INDEX events_source_code ON events(source_code);
CREATE INDEX events_target_code ON events(target_code);
CREATE INDEX events_goldstein ON events(goldstein, date);
CREATE INDEX events_confidence ON events(confidence, date);
-- The default order of event lists (newest first), readable backwards from this index.
CREATE INDEX events_newest ON events(date, article_id, sentence_index, trigger_start);

ANALYZE;
