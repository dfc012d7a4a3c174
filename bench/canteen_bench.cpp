// canteen_bench: the canteen store's figures.
//
//   canteen_bench [--orders N] [--day-orders M] [--dir PATH] [--autocheckpoint PAGES]
//
// 1. Order commit with fsync (synchronous=FULL) on a real file: N orders
//    (2,000 by default) through CanteenStore::record_order, each its own
//    transaction with its outbox fact, pickup number, portions, balance and
//    totals; p50/p99 per order. Then the same again on the big database of 2.
//    As on the kiosk, the WAL is checkpointed before the orders (the idle
//    screen does that) and not between them: the N orders are one lunch
//    queue with no idle moment, so only the store's safety-net
//    auto-checkpoint (Database::kWalAutoCheckpointPages) runs among them.
// 2. The day close over a day of M orders (1,000,000 by default). The day is
//    built through record_order itself, so day_close reads exactly what
//    orders maintain; only for that set-up the connection runs with
//    synchronous=OFF (the figure measured is not affected: it reads), and
//    the file is fsynced once after it, so that its write-back does not
//    run under the orders timed next. The first day close after reopening
//    the database is timed apart from the warm ones; recompute_day_close
//    (the audit over the orders) must agree.
// 3. The idle checkpoint (Database::checkpoint, what the kiosk runs on its
//    idle screen) on the big database: once after those N orders, and after
//    1, 10 and 100 orders (5 times each), the stretches a kiosk sees between
//    two idle moments.
//
// Beside the orders: what the disk takes for a bare 4 KiB write + fdatasync,
// and which orders ran SQLite's WAL auto-checkpoint (the safety net) inside
// their commit (seen by the database file's modification time), since those
// are the slow ones.
//
// --autocheckpoint sets SQLite's auto-checkpoint threshold on the store's
// connections instead of the store's own safety net, for comparison (1000,
// SQLite's default, is what the store ran with before it checkpointed at
// idle moments).
//
// The database goes in PATH (default: the system temp directory; it must be
// a real disk, not tmpfs, for the fsync figure to mean anything: a warning
// says so) and is removed afterwards. Percentiles are nearest-rank; times
// are CLOCK_MONOTONIC. Exit 0 when every target is met.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "kiosk/core/demo_roster.hpp"
#include "kiosk/core/meal.hpp"
#include "kiosk/store/canteen.hpp"
#include "kiosk/store/database.hpp"
#include "kiosk/store/roster.hpp"
#include "kiosk/store/secret.hpp"

// The store's own connection, only to switch fsync off while the big day is
// built (there is no public switch, on purpose).
#include "../kiosk/store/src/sqlite.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using namespace kiosk;

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

struct Stats {
    double p50, p99, max;
};
Stats stats(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    auto rank = [&](double p) {
        return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
    };
    return {rank(0.50), rank(0.99), v.back()};
}

void row(const char* what, double value, const char* unit, const char* target, bool ok) {
    std::printf("  %-52s %10.3f %-3s  target %-10s %s\n", what, value, unit, target, ok ? "ok" : "MISSED");
}

const core::CivilDate kDay{2026, 11, 25};
const core::CivilDate kBigDay{2026, 11, 26};
constexpr std::size_t kResidents = 200;
const core::UtcTime kAt{std::chrono::milliseconds{1'764'041'400'000}};

void fail(const char* what, const Error& e) {
    std::fprintf(stderr, "canteen_bench: %s: %s: %s\n", what, e.code.c_str(), e.message.c_str());
    std::exit(2);
}

std::vector<core::Menu> menus(core::CivilDate day) {
    return {{day,
             core::MealPeriod::Breakfast,
             {{"porridge", "小米粥", "小米粥、鸡蛋", 500, 0, ""}, {"bun", "包子", "肉包两个", 400, 0, ""}}},
            {day,
             core::MealPeriod::Lunch,
             {{"set-a", "套餐A", "红烧肉、炒青菜、米饭", 1500, 0, ""},
              {"set-b", "套餐B", "清蒸鱼、番茄炒蛋、米饭", 1200, 0, ""},
              {"soup", "例汤", "紫菜蛋花汤", 300, 0, ""}}},
            {day, core::MealPeriod::Dinner, {{"noodles", "汤面", "青菜鸡蛋面", 800, 0, ""}}}};
}

// A realistic mix: mostly residents, some not on the roster; cash, balance
// and QR; the first meal of a resident in a period subsidised by bracket and
// category, later ones at full price.
class OrderMaker {
public:
    explicit OrderMaker(const std::vector<core::RosterEntry>& roster) : roster_(roster) {}

    core::MealOrder next(core::CivilDate day) {
        core::MealOrder o;
        o.day = day;
        const auto r = rng_() % 100;
        o.period = r < 20 ? core::MealPeriod::Breakfast : r < 75 ? core::MealPeriod::Lunch : core::MealPeriod::Dinner;
        const auto all = menus(day);
        const auto& menu = all[static_cast<std::size_t>(o.period)];
        const auto& item = menu.items[rng_() % menu.items.size()];
        o.items.push_back({item.id, item.name, 1, item.price});
        if (rng_() % 3 == 0) {
            const auto& extra = menu.items[rng_() % menu.items.size()];
            o.items.push_back({extra.id, extra.name, 1 + static_cast<int>(rng_() % 2), extra.price});
        }
        for (const auto& l : o.items) o.price += l.price * l.quantity;
        const auto who = rng_() % (roster_.size() + 20);
        if (who < roster_.size()) {
            const auto& res = roster_[who].resident;
            o.resident = res.id;
            o.masked_id = res.masked_id;
            auto& used = subsidised_[{day.iso(), res.id * 3 + static_cast<int>(o.period)}];
            if (!used) {
                used = true;
                o.policy = "demo-2026-01";
                const int age = core::age_on(res.birth, day);
                o.bracket = age >= 80 ? "80岁以上" : age >= 70 ? "70-79岁" : "60-69岁";
                o.subsidy = age >= 80 ? 500 : age >= 70 ? 300 : 200;
                if (res.categories.has(core::Category::SubsistenceAllowance)) {
                    o.categories.push_back(core::Category::SubsistenceAllowance);
                    o.subsidy += 300;
                }
                o.subsidy = std::min(o.subsidy, o.price);
            }
            const auto m = rng_() % 3;
            o.method = m == 0   ? core::PaymentMethod::Cash
                       : m == 1 ? core::PaymentMethod::Balance
                                : core::PaymentMethod::Qr;
        } else {
            o.method = rng_() % 2 == 0 ? core::PaymentMethod::Cash : core::PaymentMethod::Qr;
        }
        o.pay = o.price - o.subsidy;
        return o;
    }

private:
    const std::vector<core::RosterEntry>& roster_;
    std::mt19937_64 rng_{20261125};
    std::map<std::pair<std::string, std::int64_t>, bool> subsidised_;
};

bool same(const store::DayClose& a, const store::DayClose& b) {
    const auto eq = [](const std::map<std::string, store::CountAndFen>& x,
                       const std::map<std::string, store::CountAndFen>& y) {
        if (x.size() != y.size()) return false;
        for (const auto& [k, v] : x) {
            auto it = y.find(k);
            if (it == y.end() || it->second.count != v.count || it->second.fen != v.fen) return false;
        }
        return true;
    };
    return a.orders == b.orders && a.refunds == b.refunds && a.portions == b.portions && a.price == b.price &&
           a.subsidy == b.subsidy && a.takings == b.takings && eq(a.by_item, b.by_item) &&
           eq(a.by_method, b.by_method) && eq(a.by_bracket, b.by_bracket) && eq(a.by_category, b.by_category) &&
           eq(a.by_period, b.by_period);
}

// What the disk itself takes for one 4 KiB write and fdatasync. In place
// (the file keeps its size) is what a WAL commit costs once the WAL has been
// reset, and the floor for an order; appending (the file grows, so the
// file system commits its metadata too) is what a growing WAL or database
// file costs, as at a checkpoint.
struct DiskFloor {
    Stats in_place, append;
};
DiskFloor disk_floor(const std::filesystem::path& dir) {
    const auto path = dir / "fsync-probe";
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        std::perror("canteen_bench: fsync probe");
        std::exit(2);
    }
    constexpr int kWrites = 500;
    std::vector<char> page(4096, 'k');
    auto run = [&](off_t base) {
        std::vector<double> samples;
        for (int i = 0; i < kWrites; ++i) {
            const auto t0 = Clock::now();
            if (::pwrite(fd, page.data(), page.size(), base + static_cast<off_t>(i) * 4096) < 0 || ::fdatasync(fd) != 0) {
                std::perror("canteen_bench: fsync probe");
                std::exit(2);
            }
            samples.push_back(ms(Clock::now() - t0));
        }
        return stats(std::move(samples));
    };
    DiskFloor out;
    out.append = run(0);     // a fresh file: every write makes it longer
    out.in_place = run(0);   // the same pages again: the size does not change
    ::close(fd);
    std::filesystem::remove(path);
    return out;
}

// Which orders paid for a checkpoint: in WAL mode the database file itself
// is written only when a checkpoint copies the WAL into it (here only
// SQLite's auto-checkpoint, run inside the commit that takes the WAL past
// the store's safety net of Database::kWalAutoCheckpointPages pages), so its
// modification time, read after each order outside the timed part, tells.
struct Commits {
    std::vector<double> all, checkpointing, others;
};

std::int64_t mtime_ns(const std::filesystem::path& file) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) return -1;
    return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

Commits commit_orders(store::CanteenStore& store, OrderMaker& maker, core::CivilDate day, int n,
                      const std::filesystem::path& file) {
    Commits out;
    out.all.reserve(static_cast<std::size_t>(n));
    auto before = mtime_ns(file);
    for (int i = 0; i < n; ++i) {
        const auto order = maker.next(day);
        const auto t0 = Clock::now();
        auto r = store.record_order(order, kAt);
        const double took = ms(Clock::now() - t0);
        if (!r) fail("record_order", r.error());
        out.all.push_back(took);
        const auto after = mtime_ns(file);
        (after != before ? out.checkpointing : out.others).push_back(took);
        before = after;
    }
    return out;
}

void commit_rows(const Commits& c) {
    const auto s = stats(c.all);
    row("record_order p50", s.p50, "ms", "< 10", s.p50 < 10);
    row("record_order p99", s.p99, "ms", "< 10", s.p99 < 10);
    row("record_order max", s.max, "ms", "-", true);
    char what[96];
    std::snprintf(what, sizeof what, "  orders that ran an auto-checkpoint: %zu of %zu, max", c.checkpointing.size(),
                  c.all.size());
    if (!c.checkpointing.empty()) row(what, stats(c.checkpointing).max, "ms", "-", true);
    if (!c.others.empty()) row("  the other orders: p99", stats(c.others).p99, "ms", "-", true);
}

// What the kiosk's idle screen runs (kiosk_app.cpp): a passive checkpoint.
struct Timed {
    double ms;
    store::CheckpointResult did;
};
Timed idle_checkpoint(store::Database& db) {
    const auto t0 = Clock::now();
    auto r = db.checkpoint();
    const double took = ms(Clock::now() - t0);
    if (!r) fail("checkpoint", r.error());
    if (!r->complete()) {
        std::fprintf(stderr, "canteen_bench: the checkpoint left %d of %d frames (no reader should hold them)\n",
                     r->wal_frames - r->checkpointed, r->wal_frames);
        std::exit(2);
    }
    return {took, *r};
}

// After `orders` orders with fsync (not timed), one idle checkpoint (timed);
// `times` times.
void idle_checkpoint_rows(store::Database& db, store::CanteenStore& store, OrderMaker& maker, core::CivilDate day,
                          int orders, int times) {
    std::vector<double> took;
    int frames = 0;
    for (int t = 0; t < times; ++t) {
        for (int i = 0; i < orders; ++i)
            if (auto r = store.record_order(maker.next(day), kAt); !r) fail("record_order", r.error());
        const auto c = idle_checkpoint(db);
        took.push_back(c.ms);
        frames = std::max(frames, c.did.wal_frames);
    }
    const auto s = stats(took);
    char what[96];
    std::snprintf(what, sizeof what, "idle checkpoint after %d order%s (<=%d frames), p50", orders,
                  orders == 1 ? "" : "s", frames);
    row(what, s.p50, "ms", "-", true);
    std::snprintf(what, sizeof what, "idle checkpoint after %d order%s, max of %d", orders, orders == 1 ? "" : "s",
                  times);
    row(what, s.max, "ms", "-", true);
}

}  // namespace

int main(int argc, char** argv) {
    int orders = 2'000;
    long day_orders = 1'000'000;
    std::filesystem::path dir = std::filesystem::temp_directory_path();
    int autocheckpoint = 0;  // the store's own
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--orders") == 0 && i + 1 < argc)
            orders = std::max(1, std::atoi(argv[++i]));
        else if (std::strcmp(argv[i], "--day-orders") == 0 && i + 1 < argc)
            day_orders = std::max(1L, std::atol(argv[++i]));
        else if (std::strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
            dir = argv[++i];
        else if (std::strcmp(argv[i], "--autocheckpoint") == 0 && i + 1 < argc)
            autocheckpoint = std::max(1, std::atoi(argv[++i]));
        else {
            std::fprintf(stderr,
                         "usage: canteen_bench [--orders N] [--day-orders M] [--dir PATH] [--autocheckpoint PAGES]\n");
            return 2;
        }
    }
    if (struct statfs fs {}; ::statfs(dir.c_str(), &fs) == 0 && fs.f_type == 0x01021994 /* TMPFS_MAGIC */)
        std::printf("WARNING: %s is tmpfs: fsync does nothing there, the commit figures mean nothing (--dir)\n\n",
                    dir.c_str());
    if (autocheckpoint != 0)
        std::printf("SQLite's auto-checkpoint at %d pages (the store's own: %d)\n\n", autocheckpoint,
                    store::Database::kWalAutoCheckpointPages);
    // Opens the database through the store, with --autocheckpoint applied.
    const auto open_store = [&](const std::filesystem::path& f) {
        auto db = store::Database::open(f);
        if (!db) fail("open", db.error());
        if (autocheckpoint != 0) {
            const auto pragma = "PRAGMA wal_autocheckpoint = " + std::to_string(autocheckpoint);
            if (auto r = store::exec((*db)->impl().db, pragma.c_str()); !r) fail("pragma", r.error());
        }
        return std::move(*db);
    };
    double load[1] = {0};
    if (getloadavg(load, 1) == 1)
        std::printf("load average at start: %.2f (p99 suffers when other work shares the cores)\n\n", load[0]);

    const auto work = dir / ("canteen-bench-" + std::to_string(::getpid()));
    const auto file = work / "kiosk.db";
    std::filesystem::remove_all(work);
    const auto roster = core::demo_roster(kResidents);
    OrderMaker maker(roster);
    bool ok = true;
    {
        auto db = open_store(file);
        store::SecretKey key{};
        for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(i * 13 + 1);
        const store::IdHasher hasher(key);
        store::RosterRepository repo(*db, hasher);
        if (auto r = repo.replace_all(roster); !r) fail("roster", r.error());
        store::CanteenStore store(*db, "HL-JH-01");
        for (const auto day : {kDay, kBigDay})
            for (const auto& m : menus(day))
                if (auto r = store.ensure_menu(m); !r) fail("menu", r.error());
        for (const auto& e : roster)
            if (auto r = store.top_up(e.resident.id, 100'000'000, kAt); !r) fail("top_up", r.error());

        const auto floor = disk_floor(work);
        // The set-up's commits are checkpointed, as the idle screen would
        // before the first diner.
        idle_checkpoint(*db);
        const auto c = commit_orders(store, maker, kDay, orders, file);
        const auto s = stats(c.all);
        std::printf("order commit with fsync, fresh database (%d orders, %s)\n", orders, file.c_str());
        row("the disk: 4 KiB overwrite + fdatasync p50", floor.in_place.p50, "ms", "-", true);
        row("the disk: 4 KiB overwrite + fdatasync p99", floor.in_place.p99, "ms", "-", true);
        row("the disk: 4 KiB append + fdatasync p50", floor.append.p50, "ms", "-", true);
        row("the disk: 4 KiB append + fdatasync p99", floor.append.p99, "ms", "-", true);
        commit_rows(c);
        ok = ok && s.p99 < 10;
        std::printf("\n");

        // The big day: the same record_order, without waiting for the disk.
        // Set-up only, on this connection: no fsync, no journal (nothing to
        // recover: a failed set-up is thrown away), no locking between
        // transactions. The page cache stays at its default: SQLite 3.40
        // walks the whole cache at every commit once the file grows, so a
        // big one makes each order slower than the last. The reopened
        // connection below is back to WAL and synchronous=FULL.
        for (const char* pragma :
             {"PRAGMA synchronous = OFF", "PRAGMA journal_mode = OFF", "PRAGMA locking_mode = EXCLUSIVE"})
            if (auto r = store::exec(db->impl().db, pragma); !r) fail("pragma", r.error());
        const auto t0 = Clock::now();
        for (long i = 0; i < day_orders; ++i) {
            if (auto r = store.record_order(maker.next(kBigDay), kAt); !r) fail("record_order (set-up)", r.error());
            if ((i + 1) % 100'000 == 0) {
                std::fprintf(stderr, "  set-up: %ld orders, %.0f s\r", i + 1,
                             std::chrono::duration<double>(Clock::now() - t0).count());
            }
        }
        std::fprintf(stderr, "\n");
        const double built_s = std::chrono::duration<double>(Clock::now() - t0).count();
        // The set-up left the whole file in the page cache, not yet written:
        // written back while the orders below are timed, it would compete
        // with their fsyncs, which no terminal's database ever has to.
        const auto t1 = Clock::now();
        const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0 || ::fsync(fd) != 0) {
            std::perror("canteen_bench: writing the set-up to disk");
            return 2;
        }
        ::close(fd);
        std::printf("set-up: %ld orders through record_order (without fsync or journal) in %.1f s, %.0f MB, "
                    "then written to disk in %.1f s\n\n",
                    day_orders, built_s, static_cast<double>(std::filesystem::file_size(file)) / 1e6,
                    std::chrono::duration<double>(Clock::now() - t1).count());
    }
    {
        // A fresh connection (synchronous=FULL again, a cold page cache of
        // its own), as after the terminal's restart.
        auto db = open_store(file);
        store::CanteenStore store(*db, "HL-JH-01");
        std::printf("day close over a day of %ld orders\n", day_orders);
        auto t0 = Clock::now();
        auto first = store.day_close(kBigDay);
        const double first_ms = ms(Clock::now() - t0);
        if (!first) fail("day_close", first.error());
        std::vector<double> warm;
        for (int i = 0; i < 50; ++i) {
            t0 = Clock::now();
            auto r = store.day_close(kBigDay);
            warm.push_back(ms(Clock::now() - t0));
            if (!r) fail("day_close", r.error());
        }
        const auto w = stats(warm);
        row("day_close, first after reopening", first_ms, "ms", "< 200", first_ms < 200);
        row("day_close p50 of 50", w.p50, "ms", "< 200", w.p50 < 200);
        row("day_close max of 50", w.max, "ms", "< 200", w.max < 200);
        ok = ok && first_ms < 200 && w.max < 200;
        t0 = Clock::now();
        auto audit = store.recompute_day_close(kBigDay);
        const double audit_ms = ms(Clock::now() - t0);
        if (!audit) fail("recompute_day_close", audit.error());
        const bool equal = same(*first, *audit) && first->orders == day_orders;
        row("recompute_day_close (the audit; must agree)", audit_ms, "ms", "-", equal);
        ok = ok && equal;
        std::printf("\n");

        // The day close and its audit only read; the WAL is empty, as after
        // an idle checkpoint.
        const auto c = commit_orders(store, maker, kBigDay, orders, file);
        const auto s = stats(c.all);
        std::printf("order commit with fsync, on that day (%d more orders, no idle moment among them)\n", orders);
        commit_rows(c);
        ok = ok && s.p99 < 10;
        std::printf("\n");

        std::printf("idle checkpoint (Database::checkpoint, PASSIVE) on that day's database\n");
        const auto after_lunch = idle_checkpoint(*db);
        char what[96];
        std::snprintf(what, sizeof what, "idle checkpoint after those %d orders (%d frames)", orders,
                      after_lunch.did.wal_frames);
        row(what, after_lunch.ms, "ms", "-", true);
        for (const int n : {1, 10, 100}) idle_checkpoint_rows(*db, store, maker, kBigDay, n, 5);
    }
    std::filesystem::remove_all(work);
    return ok ? 0 : 1;
}
