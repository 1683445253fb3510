-- E-20: events written before the feed was numbered in commit order keep their id as their feed position, so
-- that the cursors partners already hold (event ids) still mean the same; new events are numbered above them.
UPDATE "application_events" SET "feed_seq" = "id" WHERE "feed_seq" IS NULL;
