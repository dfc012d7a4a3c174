#include "migrations.hpp"

#include <array>

namespace kiosk::store {

namespace {
constexpr std::array<Migration, 3> kMigrations{{
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
    {3, R"sql(
-- The canteen (助餐). Days are service days 'YYYY-MM-DD', periods and
-- methods their codes ('lunch', 'balance'), money integer fen.

-- A day's menu as stored the first time it was needed; staff changes to
-- limits and prices that day are made here, never in the config.
CREATE TABLE menus (
    day     TEXT NOT NULL,
    period  TEXT NOT NULL,
    PRIMARY KEY (day, period)
) WITHOUT ROWID;

CREATE TABLE menu_items (
    day          TEXT NOT NULL,
    period       TEXT NOT NULL,
    id           TEXT NOT NULL,
    position     INTEGER NOT NULL,
    name         TEXT NOT NULL,
    dishes       TEXT NOT NULL DEFAULT '',
    price_fen    INTEGER NOT NULL CHECK (price_fen >= 0),
    daily_limit  INTEGER NOT NULL DEFAULT 0 CHECK (daily_limit >= 0),   -- 0: no limit
    photo        TEXT NOT NULL DEFAULT '',
    -- Portions ordered and not refunded, kept with each order and refund so
    -- the limit is checked against one row inside the order's transaction.
    sold         INTEGER NOT NULL DEFAULT 0 CHECK (sold >= 0),
    PRIMARY KEY (day, period, id),
    FOREIGN KEY (day, period) REFERENCES menus(day, period)
) WITHOUT ROWID;

-- The order as recorded. Keyed by its fact id and without a rowid, and with
-- its lines as JSON rather than in a child table: every B-tree an order
-- touches is one more page to write and fsync, and the commit is the
-- resident's wait at the screen.
CREATE TABLE meal_orders (
    fact_id         TEXT PRIMARY KEY,
    seq             INTEGER NOT NULL,                   -- unique through the outbox
    at_ms           INTEGER NOT NULL,
    day             TEXT NOT NULL,
    period          TEXT NOT NULL,
    resident        INTEGER REFERENCES residents(id),   -- NULL: not on the roster
    masked_id       TEXT NOT NULL DEFAULT '',
    -- [{"item_id", "name", "qty", "price_fen"}], price per portion
    items           TEXT NOT NULL CHECK (json_valid(items) AND json_array_length(items) > 0),
    price_fen       INTEGER NOT NULL CHECK (price_fen >= 0),
    subsidy_fen     INTEGER NOT NULL CHECK (subsidy_fen >= 0),
    pay_fen         INTEGER NOT NULL,
    method          TEXT NOT NULL,
    policy          TEXT NOT NULL DEFAULT '',
    bracket         TEXT NOT NULL DEFAULT '',
    categories      TEXT NOT NULL DEFAULT '',           -- codes, comma-separated, each once
    staff_assisted  INTEGER NOT NULL DEFAULT 0,
    delivery        INTEGER NOT NULL DEFAULT 0,
    pickup_no       TEXT NOT NULL,
    refunded        INTEGER NOT NULL DEFAULT 0,
    ticket_job      INTEGER NOT NULL DEFAULT 0,         -- 0: the ticket was never handed to the printer
    CHECK (pay_fen = price_fen - subsidy_fen AND pay_fen >= 0),
    CHECK (subsidy_fen = 0 OR resident IS NOT NULL)
) WITHOUT ROWID;
CREATE INDEX meal_orders_day ON meal_orders(day, seq);
-- One subsidised meal per resident, day and period: the ledger's question,
-- and the guarantee behind it even if two orders race.
CREATE UNIQUE INDEX meal_orders_subsidy_slot ON meal_orders(resident, day, period)
    WHERE subsidy_fen > 0 AND refunded = 0;

CREATE TABLE meal_refunds (
    fact_id   TEXT PRIMARY KEY,
    seq       INTEGER NOT NULL UNIQUE,
    at_ms     INTEGER NOT NULL,
    order_id  TEXT NOT NULL UNIQUE REFERENCES meal_orders(fact_id),   -- an order is refunded once
    reason    TEXT NOT NULL DEFAULT ''
);

-- Prepaid balances (储值). Never negative; every change is in the ledger
-- with the fact that caused it, so a balance can be explained fen by fen.
CREATE TABLE balances (
    resident  INTEGER PRIMARY KEY REFERENCES residents(id),
    fen       INTEGER NOT NULL CHECK (fen >= 0)
);
CREATE TABLE balance_ledger (
    resident     INTEGER NOT NULL REFERENCES residents(id),
    seq          INTEGER NOT NULL,                 -- the causing fact's seq
    fact_id      TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('top_up', 'order', 'refund')),
    at_ms        INTEGER NOT NULL,
    delta_fen    INTEGER NOT NULL,
    balance_fen  INTEGER NOT NULL CHECK (balance_fen >= 0),   -- after the change
    PRIMARY KEY (resident, seq)
) WITHOUT ROWID;

CREATE TABLE meal_reservations (
    fact_id          TEXT PRIMARY KEY,
    seq              INTEGER NOT NULL UNIQUE,
    at_ms            INTEGER NOT NULL,
    resident         INTEGER NOT NULL REFERENCES residents(id),
    day              TEXT NOT NULL,
    period           TEXT NOT NULL,
    item_id          TEXT NOT NULL,
    method           TEXT NOT NULL,
    delivery         INTEGER NOT NULL DEFAULT 0,
    state            TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'fulfilled', 'cancelled')),
    order_id         TEXT REFERENCES meal_orders(fact_id),
    cancel_fact_id   TEXT
);
CREATE UNIQUE INDEX meal_reservations_one ON meal_reservations(resident, day, period) WHERE state <> 'cancelled';
CREATE INDEX meal_reservations_day ON meal_reservations(day, period, seq);

-- One row per service day: the last pickup number given out (this
-- terminal), and running totals changed in the transaction of every order
-- and refund, so the day close reads a handful of rows however many orders
-- there were. Refunds count against the order's own day.
CREATE TABLE canteen_days (
    day          TEXT PRIMARY KEY,
    last_pickup  INTEGER NOT NULL DEFAULT 0,
    orders       INTEGER NOT NULL DEFAULT 0,   -- not refunded
    refunds      INTEGER NOT NULL DEFAULT 0,
    portions     INTEGER NOT NULL DEFAULT 0,
    price_fen    INTEGER NOT NULL DEFAULT 0,
    subsidy_fen  INTEGER NOT NULL DEFAULT 0,
    takings_fen  INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
-- The same, broken down: kind 'item' (key "<period>/<name>": portions,
-- price), 'method' (orders, takings), 'bracket' (orders, subsidy),
-- 'category' (orders, subsidy), 'period' (orders, price).
CREATE TABLE canteen_day_breakdown (
    day    TEXT NOT NULL,
    kind   TEXT NOT NULL CHECK (kind IN ('item', 'method', 'bracket', 'category', 'period')),
    key    TEXT NOT NULL,
    count  INTEGER NOT NULL DEFAULT 0,
    fen    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, kind, key)
) WITHOUT ROWID;
)sql"},
}};
}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

}  // namespace kiosk::store
