// The canteen store under contention and power cuts: threads and processes
// racing for the last portion and the last fen of a balance, and a process
// killed at random points while it records orders and refunds, with and
// without losing what it had not synced (lossy_vfs.hpp).
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "canteen_fixture.hpp"
#include "kiosk/store/canteen.hpp"
#include "lossy_vfs.hpp"
#include "temp_dir.hpp"

// White-box: the child of the control test switches fsync off on the
// store's own connection.
#include "../../../kiosk/store/src/sqlite.hpp"

using namespace kiosk;
using namespace kiosk::test::canteen;
using core::MealPeriod;
using core::PaymentMethod;
using kiosk::test::open_db;
using kiosk::test::RawDb;
using kiosk::test::TempDir;

namespace {

// Waits until every thread is ready, so they really race.
class StartLine {
public:
    explicit StartLine(int n) : waiting_(n) {}
    void arrive_and_wait() {
        waiting_.fetch_sub(1);
        while (waiting_.load() > 0) std::this_thread::yield();
    }

private:
    std::atomic<int> waiting_;
};

void write_all(int fd, const std::string& s) {
    std::size_t done = 0;
    while (done < s.size()) {
        const auto n = ::write(fd, s.data() + done, s.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) ::_exit(3);
        done += static_cast<std::size_t>(n);
    }
}

std::string read_all(int fd) {
    std::string out;
    char buf[4096];
    for (;;) {
        const auto n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return out;
        out.append(buf, static_cast<std::size_t>(n));
    }
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto nl = text.find('\n', start);
        if (nl == std::string::npos) break;  // a line cut short by the kill was never acknowledged
        out.push_back(text.substr(start, nl - start));
        start = nl + 1;
    }
    return out;
}

// Everything that must hold together after any crash.
void check_consistent(const std::filesystem::path& file) {
    RawDb raw(file);
    CHECK(raw.text("PRAGMA integrity_check") == "ok");
    CHECK(raw.text("PRAGMA foreign_key_check") == "");
    // Each order, refund, top-up has its outbox row and the other way round.
    for (const auto& [table, type] : std::vector<std::pair<std::string, std::string>>{
             {"meal_orders", "meal_order"}, {"meal_refunds", "meal_refund"}}) {
        CAPTURE(table);
        CHECK(raw.integer("SELECT COUNT(*) FROM " + table + " t LEFT JOIN outbox o ON o.fact_id = t.fact_id " +
                          "AND o.seq = t.seq AND o.type = '" + type + "' WHERE o.seq IS NULL") == 0);
        CHECK(raw.integer("SELECT COUNT(*) FROM outbox o LEFT JOIN " + table + " t ON t.fact_id = o.fact_id " +
                          "WHERE o.type = '" + type + "' AND t.fact_id IS NULL") == 0);
    }
    CHECK(raw.integer("SELECT COUNT(*) FROM meal_orders WHERE refunded <> "
                      "(fact_id IN (SELECT order_id FROM meal_refunds))") == 0);
    CHECK(raw.integer("SELECT COUNT(*) FROM meal_orders WHERE json_array_length(items) < 1") == 0);
    CHECK(raw.integer("SELECT value FROM sequence") == raw.integer("SELECT COALESCE(MAX(seq), 0) FROM outbox"));
    CHECK(raw.integer("SELECT COUNT(*) FROM outbox") == raw.integer("SELECT value FROM sequence"));
    // Pickup numbers: one per order of the day, none lost, none repeated.
    CHECK(raw.integer("SELECT COUNT(*) FROM (SELECT day, COUNT(*) AS n, COUNT(DISTINCT pickup_no) AS d, "
                      "MAX(CAST(pickup_no AS INTEGER)) AS top FROM meal_orders GROUP BY day) g "
                      "LEFT JOIN canteen_days c ON c.day = g.day WHERE g.n <> g.d OR g.n <> g.top "
                      "OR c.last_pickup IS NULL OR c.last_pickup <> g.n") == 0);
    // Portions taken equal the lines of the orders not refunded.
    CHECK(raw.integer("SELECT COUNT(*) FROM menu_items m WHERE m.sold <> (SELECT COALESCE(SUM(l.value ->> 'qty'), 0) "
                      "FROM meal_orders o, json_each(o.items) l WHERE o.refunded = 0 "
                      "AND o.day = m.day AND o.period = m.period AND l.value ->> 'item_id' = m.id)") == 0);
    // Balances are their ledgers, and the ledger has every balance payment.
    CHECK(raw.integer("SELECT COUNT(*) FROM balances b WHERE b.fen <> "
                      "(SELECT COALESCE(SUM(delta_fen), 0) FROM balance_ledger l WHERE l.resident = b.resident)") == 0);
    CHECK(raw.integer("SELECT COUNT(*) FROM meal_orders WHERE method = 'balance' AND pay_fen > 0") ==
          raw.integer("SELECT COUNT(*) FROM balance_ledger WHERE kind = 'order'"));
    CHECK(raw.integer("SELECT COUNT(*) FROM meal_orders WHERE method = 'balance' AND pay_fen > 0 AND refunded = 1") ==
          raw.integer("SELECT COUNT(*) FROM balance_ledger WHERE kind = 'refund'"));
    CHECK(raw.integer("SELECT COUNT(*) FROM balances WHERE fen < 0") == 0);

    auto db = open_db(file);
    store::CanteenStore s(*db, kTerminal);
    for (const auto day : {kDay, kNextDay}) {
        CAPTURE(day.iso());
        CHECK(describe(close_of(s, day)) == describe(recompute_of(s, day)));
    }
}

enum class Cut {
    Kill,                 // the process dies; what it wrote reaches the disk anyway
    PowerCut,             // the process dies and what it had not synced is lost
    PowerCutWithoutSync,  // the same, with fsync switched off: the control
};

// The child: records orders (and now and then refunds one) until killed,
// writing each fact id to the pipe once record_order/refund has returned.
[[noreturn]] void record_until_killed(const std::filesystem::path& file, int out, unsigned seed, Cut cut) {
    if (cut != Cut::Kill && !test::install_lossy_vfs()) ::_exit(5);
    auto opened = store::Database::open(file);
    if (!opened) ::_exit(2);
    if (cut == Cut::PowerCutWithoutSync && !store::exec((*opened)->impl().db, "PRAGMA synchronous = OFF", "test").ok())
        ::_exit(6);
    store::CanteenStore s(**opened, kTerminal);
    std::mt19937 rng(seed);
    std::vector<std::string> mine;
    write_all(out, "ready\n");
    for (int i = 0; i < 100000; ++i) {
        const int kind = static_cast<int>(rng() % 6);
        if (kind == 0 && !mine.empty()) {
            const std::string id = mine.back();
            mine.pop_back();
            if (s.refund(id, "断电测试", kNoon).ok()) write_all(out, "refund " + id + "\n");
            continue;
        }
        OrderSpec spec;
        spec.day = kind == 1 ? kNextDay : kDay;
        spec.resident = static_cast<core::RosterId>(1 + rng() % 10);
        spec.lines = {{"set-a", 1}, {"soup", static_cast<int>(1 + rng() % 2)}};
        spec.method = kind % 2 == 0 ? PaymentMethod::Balance : PaymentMethod::Cash;
        spec.bracket = "80岁以上";
        spec.categories = {core::Category::Disabled};
        auto r = s.record_order(make_order(spec), kNoon);
        if (!r) ::_exit(4);
        mine.push_back(r->fact.id);
        write_all(out, "order " + r->fact.id + "\n");
    }
    ::_exit(0);
}

void prepare_power_cut_db(const std::filesystem::path& file) {
    auto db = open_db(file);
    import_roster(*db);
    store::CanteenStore s(*db, kTerminal);
    ensure_menus(s);
    ensure_menus(s, kNextDay);
    for (core::RosterId r = 1; r <= 10; ++r) REQUIRE(s.top_up(r, 10'000'000, kNoon).ok());
}

int crash_iterations() {
    const char* env = std::getenv("KIOSK_CRASH_ITERATIONS");
    return env != nullptr ? std::max(1, std::atoi(env)) : 40;
}

struct Acked {
    std::set<std::string> orders, refunds;
    int new_orders = 0;
};

// Starts a child recording orders, waits until it has acknowledged
// `after_acks` facts, kills it `delay` later, and returns what it had been
// told was recorded.
Acked run_and_kill(const std::filesystem::path& file, unsigned seed, Cut cut, int after_acks,
                   std::chrono::microseconds delay) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::close(fds[0]);
        record_until_killed(file, fds[1], seed, cut);
    }
    ::close(fds[1]);
    std::string seen;
    while (std::count(seen.begin(), seen.end(), '\n') < 1 + after_acks) {  // "ready" and the acks
        char buf[512];
        const auto n = ::read(fds[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        REQUIRE(n > 0);
        seen.append(buf, static_cast<std::size_t>(n));
    }
    std::this_thread::sleep_for(delay);
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status));
    Acked out;
    for (const auto& line : lines_of(seen + read_all(fds[0]))) {
        if (line.rfind("order ", 0) == 0) {
            out.orders.insert(line.substr(6));
            ++out.new_orders;
        } else if (line.rfind("refund ", 0) == 0) {
            out.refunds.insert(line.substr(7));
        }
    }
    ::close(fds[0]);
    return out;
}

// Many cuts at random moments. After each: everything consistent, every
// acknowledged order and refund there exactly once, and at most the one
// order the child was in the middle of besides.
void cut_many_times(Cut cut) {
    TempDir tmp;
    const auto file = tmp / "kiosk.db";
    prepare_power_cut_db(file);
    const int iterations = crash_iterations();
    std::mt19937 rng(cut == Cut::Kill ? 4242 : 4343);
    std::set<std::string> acked_orders, acked_refunds;
    std::int64_t orders_before = 0;
    int unacknowledged_kept = 0;
    for (int i = 0; i < iterations; ++i) {
        CAPTURE(i);
        // A few facts in, then anywhere in the next few: most cuts land in
        // a commit, since the fsync is most of an order's time.
        const auto acked = run_and_kill(file, static_cast<unsigned>(i) * 7919u + 1u, cut, static_cast<int>(rng() % 4),
                                        std::chrono::microseconds(rng() % 8'000));
        acked_orders.insert(acked.orders.begin(), acked.orders.end());
        acked_refunds.insert(acked.refunds.begin(), acked.refunds.end());

        check_consistent(file);
        RawDb raw(file);
        for (const auto& id : acked_orders)
            CHECK(raw.integer("SELECT COUNT(*) FROM meal_orders WHERE fact_id = '" + id + "'") == 1);
        for (const auto& id : acked_refunds)
            CHECK(raw.integer("SELECT refunded FROM meal_orders WHERE fact_id = '" + id + "'") == 1);
        const auto orders_now = raw.integer("SELECT COUNT(*) FROM meal_orders");
        CHECK(orders_now >= orders_before + acked.new_orders);
        CHECK(orders_now <= orders_before + acked.new_orders + 1);
        // Committed, but cut before record_order returned: recorded, never
        // shown. Once only: the screen retries nothing by itself.
        if (orders_now > orders_before + acked.new_orders) ++unacknowledged_kept;
        orders_before = orders_now;
    }
    const std::string what = cut == Cut::Kill ? "kills: " : "power cuts: ";
    MESSAGE(what << iterations << ", orders recorded " << orders_before << ", acknowledged " << acked_orders.size()
                 << ", refunds acknowledged " << acked_refunds.size() << ", cut after the commit but before the answer "
                 << unacknowledged_kept);
    CHECK(acked_orders.size() > static_cast<std::size_t>(iterations / 2));
}

}  // namespace

TEST_CASE("canteen: the last portions raced by threads: exactly the limit is sold") {
    TempDir tmp;
    const auto file = tmp / "kiosk.db";
    {
        auto db = open_db(file);
        import_roster(*db);
        store::CanteenStore s(*db, kTerminal);
        ensure_menus(s);
        REQUIRE(s.set_limit(kDay, MealPeriod::Lunch, "set-b", 7).ok());
    }
    constexpr int kThreads = 4, kTries = 4;
    StartLine start(kThreads);
    std::vector<std::vector<std::string>> codes(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            auto db = store::Database::open(file);
            if (!db) {
                codes[static_cast<std::size_t>(t)].push_back("open: " + db.error().message);
                return;
            }
            store::CanteenStore s(**db, kTerminal);
            start.arrive_and_wait();
            for (int i = 0; i < kTries; ++i) {
                auto r = s.record_order(make_order({.lines = {{"set-b", 1}}}), kNoon);
                codes[static_cast<std::size_t>(t)].push_back(r.ok() ? "ok" : r.error().code);
            }
        });
    }
    for (auto& th : threads) th.join();
    int ok = 0, sold_out = 0;
    for (const auto& per_thread : codes)
        for (const auto& c : per_thread) {
            CAPTURE(c);
            CHECK((c == "ok" || c == "canteen.sold_out"));
            ok += c == "ok";
            sold_out += c == "canteen.sold_out";
        }
    CHECK(ok == 7);
    CHECK(sold_out == kThreads * kTries - 7);
    auto db = open_db(file);
    store::CanteenStore s(*db, kTerminal);
    CHECK(s.sold(kDay, MealPeriod::Lunch)->at("set-b") == 7);
    CHECK(s.orders(kDay)->size() == 7);
    CHECK(close_of(s, kDay).orders == 7);
    check_consistent(file);
}

TEST_CASE("canteen: the last portion raced by two processes: one succeeds, the other is told sold out") {
    TempDir tmp;
    const auto file = tmp / "kiosk.db";
    {
        auto db = open_db(file);
        import_roster(*db);
        store::CanteenStore s(*db, kTerminal);
        ensure_menus(s);
        REQUIRE(s.set_limit(kDay, MealPeriod::Lunch, "set-b", 1).ok());
    }
    for (int round = 0; round < 5; ++round) {
        CAPTURE(round);
        {
            auto db = open_db(file);
            store::CanteenStore s(*db, kTerminal);
            REQUIRE(s.set_limit(kDay, MealPeriod::Lunch, "set-b", round + 1).ok());
        }
        int go[2], result[2];
        REQUIRE(::pipe(go) == 0);
        REQUIRE(::pipe(result) == 0);
        std::vector<pid_t> kids;
        for (int k = 0; k < 2; ++k) {
            const pid_t pid = ::fork();
            REQUIRE(pid >= 0);
            if (pid == 0) {
                ::close(go[1]);
                ::close(result[0]);
                auto db = store::Database::open(file);
                if (!db) ::_exit(2);
                store::CanteenStore s(**db, kTerminal);
                char c = 0;
                if (::read(go[0], &c, 1) != 1) ::_exit(3);  // both start together
                auto r = s.record_order(make_order({.lines = {{"set-b", 1}}}), kNoon);
                write_all(result[1], r.ok() ? "o" : r.error().code == "canteen.sold_out" ? "s" : "e");
                ::_exit(0);
            }
            kids.push_back(pid);
        }
        ::close(go[0]);
        ::close(result[1]);
        write_all(go[1], "gg");
        ::close(go[1]);
        const std::string outcomes = read_all(result[0]);
        ::close(result[0]);
        for (pid_t pid : kids) {
            int status = 0;
            ::waitpid(pid, &status, 0);
            CHECK(WIFEXITED(status));
            CHECK(WEXITSTATUS(status) == 0);
        }
        CHECK(outcomes.size() == 2);
        CHECK(std::count(outcomes.begin(), outcomes.end(), 'o') == 1);
        CHECK(std::count(outcomes.begin(), outcomes.end(), 's') == 1);
    }
    auto db = open_db(file);
    store::CanteenStore s(*db, kTerminal);
    CHECK(s.sold(kDay, MealPeriod::Lunch)->at("set-b") == 5);
    check_consistent(file);
}

TEST_CASE("canteen: concurrent balance orders never take a balance below zero") {
    TempDir tmp;
    const auto file = tmp / "kiosk.db";
    {
        auto db = open_db(file);
        import_roster(*db);
        store::CanteenStore s(*db, kTerminal);
        ensure_menus(s);
        REQUIRE(s.top_up(1, 10000, kNoon).ok());
    }
    // Full-price 例汤 at 3.00: 33 of them fit in 100.00, the 34th must not.
    constexpr int kThreads = 4, kTries = 12;
    StartLine start(kThreads);
    std::vector<std::vector<std::string>> codes(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            auto db = store::Database::open(file);
            if (!db) return;
            store::CanteenStore s(**db, kTerminal);
            start.arrive_and_wait();
            for (int i = 0; i < kTries; ++i) {
                auto r = s.record_order(
                    make_order({.resident = 1, .lines = {{"soup", 1}}, .method = PaymentMethod::Balance}), kNoon);
                codes[static_cast<std::size_t>(t)].push_back(r.ok() ? "ok" : r.error().code);
            }
        });
    }
    for (auto& th : threads) th.join();
    int ok = 0, low = 0;
    for (const auto& per_thread : codes)
        for (const auto& c : per_thread) {
            CAPTURE(c);
            CHECK((c == "ok" || c == "canteen.balance_low"));
            ok += c == "ok";
            low += c == "canteen.balance_low";
        }
    CHECK(ok == 33);
    CHECK(low == kThreads * kTries - 33);
    auto db = open_db(file);
    store::CanteenStore s(*db, kTerminal);
    CHECK(*s.balance(1) == 100);
    check_consistent(file);
}

TEST_CASE("canteen: a process killed during an order or a refund leaves all of it or none of it") {
    cut_many_times(Cut::Kill);
}

TEST_CASE("canteen: a power cut during an order or a refund leaves all of it or none of it") {
    cut_many_times(Cut::PowerCut);
}

TEST_CASE("canteen: the power-cut simulation loses what was not synced") {
    // The control for the test above: with fsync off, orders the child was
    // told were recorded are lost, so the simulation does bite, and the
    // test above passes because record_order syncs before it returns.
    TempDir tmp;
    const auto file = tmp / "kiosk.db";
    prepare_power_cut_db(file);
    const auto acked = run_and_kill(file, 99, Cut::PowerCutWithoutSync, 20, std::chrono::milliseconds(0));
    REQUIRE(acked.orders.size() > 5);
    RawDb raw(file);
    CHECK(raw.text("PRAGMA integrity_check") == "ok");
    std::size_t kept = 0;
    for (const auto& id : acked.orders)
        kept += static_cast<std::size_t>(raw.integer("SELECT COUNT(*) FROM meal_orders WHERE fact_id = '" + id + "'"));
    MESSAGE("without fsync: " << acked.orders.size() << " orders acknowledged, " << kept << " survived the cut");
    CHECK(kept < acked.orders.size());
}
