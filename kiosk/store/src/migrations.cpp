#include "migrations.hpp"

#include <array>

namespace kiosk::store {

namespace {
constexpr std::array<Migration, 2> kMigrations{{
    {1, R"sql(
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- The terminal's monotonic record sequence: never reused, even when old
-- outbox rows are pruned after delivery.
CREATE TABLE sequence (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
);
INSERT INTO sequence (id, value) VALUES (1, 0);

CREATE TABLE residents (
    id          INTEGER PRIMARY KEY,          -- roster id
    name        TEXT NOT NULL,
    gender      TEXT NOT NULL CHECK (gender IN ('M', 'F', 'U')),
    birth       TEXT NOT NULL,                -- YYYY-MM-DD
    categories  INTEGER NOT NULL DEFAULT 0,   -- bit set, see core::Category
    area        TEXT NOT NULL DEFAULT '',
    building    INTEGER NOT NULL DEFAULT 0,
    unit        INTEGER NOT NULL DEFAULT 0,
    room        TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    plain_name  INTEGER NOT NULL DEFAULT 0,
    masked_id   TEXT NOT NULL,
    id_hash     BLOB NOT NULL,                -- HMAC-SHA256 of the ID number; never the number
    active      INTEGER NOT NULL DEFAULT 1
);
-- One active resident per ID number. Inactive rows keep their hash so old
-- records still name a person, even if the county re-registers that person
-- under a new roster id.
CREATE UNIQUE INDEX residents_id_hash ON residents(id_hash) WHERE active = 1;

CREATE TABLE cards (
    card      TEXT PRIMARY KEY,
    resident  INTEGER NOT NULL REFERENCES residents(id)
);
CREATE INDEX cards_resident ON cards(resident);

CREATE TABLE check_ins (
    fact_id   TEXT PRIMARY KEY,
    seq       INTEGER NOT NULL UNIQUE,
    at_ms     INTEGER NOT NULL,               -- UTC milliseconds since the epoch
    resident  INTEGER NOT NULL REFERENCES residents(id),
    masked_id TEXT NOT NULL,
    method    TEXT NOT NULL,
    purpose   TEXT NOT NULL
);
CREATE INDEX check_ins_resident ON check_ins(resident, purpose, at_ms);

-- Every recorded fact, in the form the county receives it.
CREATE TABLE outbox (
    seq           INTEGER PRIMARY KEY,
    fact_id       TEXT NOT NULL UNIQUE,
    type          TEXT NOT NULL,
    json          TEXT NOT NULL,
    delivered_ms  INTEGER                     -- NULL until the county acknowledged it
);
CREATE INDEX outbox_pending ON outbox(seq) WHERE delivered_ms IS NULL;
)sql"},
    {2, R"sql(
CREATE TABLE notices (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    issuer     TEXT NOT NULL DEFAULT '',
    published  TEXT NOT NULL                  -- YYYY-MM-DD
);
)sql"},
}};
}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

}  // namespace kiosk::store
