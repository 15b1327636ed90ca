-- Neurite provenance schema, version 3: run ids without gaps after a crash.
--
-- H2 draws identity values from a cache of 32 held in memory and written ahead to the file; a process
-- killed with -9 loses the rest of its cache, so the next run id jumped by up to 32. Runs are few (one
-- insert per run), so their ids are drawn one at a time. Step records and the other rows keep the
-- cache: they are many, and their ids are not numbers a user counts on.
-- Re-runnable, as every script: setting NO CACHE again changes nothing, and no row is touched.

ALTER TABLE runs ALTER COLUMN id SET NO CACHE;
