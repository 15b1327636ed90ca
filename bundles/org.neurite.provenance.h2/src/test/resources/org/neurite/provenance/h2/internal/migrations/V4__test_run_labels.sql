-- A schema version after the shipped ones, used only by MigrationsTest to check ordering and refusal of newer databases.
ALTER TABLE runs ADD COLUMN IF NOT EXISTS test_label VARCHAR(100);
CREATE INDEX IF NOT EXISTS runs_test_label ON runs(test_label);
