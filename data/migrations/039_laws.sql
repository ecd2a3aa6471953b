-- 039 法律法规库 (the law library, docs/laws.md; issue 12). A law is one
-- title at one level (宪法 … 其他); each file imported is a version of it
-- (its dates, its status computed from them and from the later versions,
-- the digest of its source file); each version keeps its articles (第N条 as
-- an integer, 之N as sub, the chapter path) so records can cite law + article.
CREATE TABLE laws (
	id INTEGER PRIMARY KEY,
	title TEXT NOT NULL UNIQUE,
	level TEXT NOT NULL CHECK (level IN ('宪法', '法律', '行政法规', '部门规章', '地方性法规', '地方政府规章', '司法解释', '行政规范性文件', '其他')),
	body TEXT,
	status TEXT NOT NULL CHECK (status IN ('现行有效', '已修改', '已废止', '尚未生效'))
) STRICT;
CREATE INDEX laws_level ON laws(level);

CREATE TABLE law_versions (
	id INTEGER PRIMARY KEY,
	law_id INTEGER NOT NULL REFERENCES laws(id),
	version_date TEXT NOT NULL,
	title TEXT NOT NULL,
	adopted TEXT,
	amended TEXT,
	effective TEXT,
	repealed TEXT,
	status TEXT NOT NULL CHECK (status IN ('现行有效', '已修改', '已废止', '尚未生效')),
	digest TEXT NOT NULL,
	source TEXT NOT NULL,
	preamble TEXT NOT NULL,
	articles INTEGER NOT NULL,
	imported_at INTEGER NOT NULL,
	UNIQUE (law_id, version_date)
) STRICT;
CREATE INDEX law_versions_date ON law_versions(version_date, id);
CREATE INDEX law_versions_source ON law_versions(source);

CREATE TABLE law_articles (
	id INTEGER PRIMARY KEY,
	version_id INTEGER NOT NULL REFERENCES law_versions(id),
	number INTEGER NOT NULL,
	sub INTEGER NOT NULL,
	chapter TEXT NOT NULL,
	body TEXT NOT NULL,
	UNIQUE (version_id, number, sub)
) STRICT;

-- The search index, written in the same transaction as the rows above: one
-- document per article (id = law_articles.id) and one per version for its
-- title and header (id = -law_versions.id). SQLite: FTS5 with the bigram
-- tokenizer (src/core/bigram.h, registered on every connection); PostgreSQL:
-- the same bigrams as tsvector ('simple'), computed in C, with GIN indexes.
-- sqlite: CREATE VIRTUAL TABLE law_search USING fts5(title, body, version_id UNINDEXED, tokenize = 'fazhi_bigram');
-- postgresql: CREATE TABLE law_search (id BIGINT PRIMARY KEY, version_id BIGINT NOT NULL REFERENCES law_versions(id), title_tsv tsvector NOT NULL, body_tsv tsvector NOT NULL);
-- postgresql: CREATE INDEX law_search_title ON law_search USING gin (title_tsv);
-- postgresql: CREATE INDEX law_search_body ON law_search USING gin (body_tsv);
-- postgresql: CREATE INDEX law_search_version ON law_search (version_id);
