-- 036: bodies by their displayed name (imports and pickers look a body up
-- by the name users know it by, within the caller's scope).
CREATE INDEX bodies_name ON bodies(name);
