-- 042 行政规范性文件的统一编号: each number issued once (统一登记、统一编号、
-- 统一印发, 国办发〔2018〕37号), in its body's yearly series. The key
-- refuses a second document with the same number, whoever wrote it and
-- however many write at once; the series' next number is the body's
-- highest of the year plus one, read in the issuing transaction.
CREATE TABLE normdoc_numbers (
	number TEXT PRIMARY KEY,
	body_id INTEGER NOT NULL REFERENCES bodies(id),
	year INTEGER NOT NULL,
	seq INTEGER NOT NULL,
	record_id INTEGER NOT NULL UNIQUE REFERENCES records(id)
) STRICT;
CREATE INDEX normdoc_numbers_series ON normdoc_numbers(body_id, year, seq);
