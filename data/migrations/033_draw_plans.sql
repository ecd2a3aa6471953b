-- 033 双随机抽查 → 检查计划: each drawn enterprise's plan (a record of the
-- register that takes a draw's plans, docs/draws.md), NULL for a draw
-- without a matter (made before plans existed, or none named).
ALTER TABLE draw_picks ADD COLUMN plan_id INTEGER REFERENCES records(id);
