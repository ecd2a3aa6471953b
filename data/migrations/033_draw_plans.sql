-- 033 双随机抽查 → 检查计划 (docs/draws.md).
-- (1) Each drawn enterprise's plan: a record of the register that takes a
-- draw's plans, NULL for a draw without a matter (made before plans
-- existed, or naming none).
ALTER TABLE draw_picks ADD COLUMN plan_id INTEGER REFERENCES records(id);

-- (2) The target roster in one index-only read: a draw over a region reads
-- every enterprise under its path with its grade (src/engine/draw_store.c);
-- through subjects_region_path each row would be a lookup in the table.
CREATE INDEX subjects_roster ON subjects(region_path, kind, credit_grade, id);
