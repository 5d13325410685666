-- Knowledge bases: tenant content (help articles, policies) that agents answer from and cite. Every article
-- version is kept; the passages of the current version of a live article are marked `live`, and search reads
-- only those. Knowledge is not customer data: customer erasure does not touch it, deleting the tenant does.
create table knowledge_bases (
  id text primary key,
  tenant_id text not null references tenants (id) on delete cascade,
  name text not null,
  description text not null default '',
  -- a Postgres text-search configuration (english, french, simple, ...)
  language text not null default 'english',
  -- pages the re-index job fetches, each kept as an article keyed by its URL
  urls text[] not null default '{}',
  -- live passages, kept with knowledge_lexemes in the transaction that changes them
  passages int not null default 0,
  created_at timestamptz not null default now(),
  unique (tenant_id, name)
);

create table knowledge_articles (
  id text primary key,
  kb_id text not null references knowledge_bases (id) on delete cascade,
  -- the client's key, the file path or the URL; null for an unkeyed upload
  key text,
  source text not null check (source in ('upload', 'folder', 'url')),
  -- the current version; 0 only inside the transaction that writes the first one
  version int not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz
);
create unique index knowledge_articles_key_idx on knowledge_articles (kb_id, key) where key is not null;
create index knowledge_articles_kb_idx on knowledge_articles (kb_id, created_at, id);

create table knowledge_article_versions (
  article_id text not null references knowledge_articles (id) on delete cascade,
  version int not null,
  title text not null,
  format text not null check (format in ('markdown', 'html')),
  content text not null,
  content_hash text not null,
  created_at timestamptz not null default now(),
  primary key (article_id, version)
);

create table knowledge_passages (
  article_id text not null,
  version int not null,
  -- a hash of article, headings and text: the same across re-indexing while the text is unchanged
  passage_id text not null,
  kb_id text not null,
  ordinal int not null,
  title text not null,
  heading_path text[] not null,
  text text not null,
  tsv tsvector not null,
  live boolean not null,
  primary key (article_id, version, passage_id),
  foreign key (article_id, version) references knowledge_article_versions (article_id, version) on delete cascade
);
create index knowledge_passages_search_idx on knowledge_passages using gin (tsv) where live;
create index knowledge_passages_kb_idx on knowledge_passages (kb_id) where live;

-- How many live passages of a knowledge base hold each lexeme: retrieval weighs rare words over common ones
-- (inverse document frequency) and leaves out words most passages hold. Writers lock the knowledge base row
-- first, so concurrent writes to one knowledge base never deadlock on these rows.
create table knowledge_lexemes (
  kb_id text not null references knowledge_bases (id) on delete cascade,
  lexeme text not null,
  passages int not null,
  primary key (kb_id, lexeme)
);

-- Re-index jobs, planned whole when asked for; each item is marked as it completes, so a resumed job does
-- only what is left.
create table knowledge_index_jobs (
  id text primary key,
  kb_id text not null references knowledge_bases (id) on delete cascade,
  status text not null default 'queued' check (status in ('queued', 'running', 'completed', 'failed')),
  error text,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);
create unique index knowledge_index_jobs_active_idx on knowledge_index_jobs (kb_id) where status in ('queued', 'running');
create index knowledge_index_jobs_kb_idx on knowledge_index_jobs (kb_id, created_at);

create table knowledge_index_items (
  job_id text not null references knowledge_index_jobs (id) on delete cascade,
  seq int not null,
  kind text not null check (kind in ('fetch', 'rechunk', 'remove')),
  -- the URL to fetch, or the article id
  ref text not null,
  status text not null default 'pending' check (status in ('pending', 'done', 'failed')),
  attempts int not null default 0,
  -- a retried item waits until then
  not_before timestamptz,
  outcome text,
  error_code text,
  error_message text,
  finished_at timestamptz,
  primary key (job_id, seq)
);
