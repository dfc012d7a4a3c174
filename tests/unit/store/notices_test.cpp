#include "kiosk/store/notices.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "kiosk/core/demo_roster.hpp"
#include "kiosk/core/notice.hpp"
#include "kiosk/store/database.hpp"
#include "temp_dir.hpp"

using namespace kiosk;
using kiosk::test::open_db;
using kiosk::test::TempDir;

namespace {

std::vector<core::Notice> list(store::NoticeRepository& repo) {
    auto r = repo.list();
    REQUIRE_MESSAGE(r.ok(), r.error().message);
    return *r;
}

void check_same(const core::Notice& got, const core::Notice& want) {
    CAPTURE(want.id);
    CHECK(got.id == want.id);
    CHECK(got.kind == want.kind);
    CHECK(got.title == want.title);
    CHECK(got.body == want.body);
    CHECK(got.issuer == want.issuer);
    CHECK(got.published == want.published);
}

const core::Notice* by_id(const std::vector<core::Notice>& ns, std::int64_t id) {
    for (const auto& n : ns)
        if (n.id == id) return &n;
    return nullptr;
}

}  // namespace

TEST_CASE("notices: none on a fresh database") {
    TempDir tmp;
    auto db = open_db(tmp / "kiosk.db");
    store::NoticeRepository repo(*db);
    CHECK(list(repo).empty());
}

TEST_CASE("notices: the demo notices round-trip newest first") {
    TempDir tmp;
    const auto file = tmp / "kiosk.db";
    const auto demo = core::demo_notices();
    REQUIRE(demo.size() == 4);
    {
        auto db = open_db(file);
        store::NoticeRepository repo(*db);
        REQUIRE(repo.replace_all(demo).ok());
    }
    auto db = open_db(file);  // from the file, not from memory
    store::NoticeRepository repo(*db);
    const auto got = list(repo);
    REQUIRE(got.size() == 4);

    // Published 11-24 (4), 11-22 (2), 11-20 (1), 11-18 (3).
    CHECK(got[0].id == 4);
    CHECK(got[1].id == 2);
    CHECK(got[2].id == 1);
    CHECK(got[3].id == 3);
    for (std::size_t i = 1; i < got.size(); ++i) CHECK(got[i - 1].published >= got[i].published);

    for (const auto& want : demo) {
        const auto* n = by_id(got, want.id);
        REQUIRE(n != nullptr);
        check_same(*n, want);
    }

    const auto& newest = got[0];
    CHECK(newest.kind == core::NoticeKind::Activity);
    CHECK(newest.title == "冬至包饺子活动");
    CHECK(newest.issuer == "佳禾社区党委");
    CHECK(newest.published == core::CivilDate{2026, 11, 24});
    CHECK(got[2].kind == core::NoticeKind::AntiFraud);
    CHECK(got[2].body.find("110") != std::string::npos);
    CHECK(got[1].kind == core::NoticeKind::Health);
    CHECK(got[3].kind == core::NoticeKind::Policy);
}

TEST_CASE("notices: replace_all replaces the whole set") {
    TempDir tmp;
    auto db = open_db(tmp / "kiosk.db");
    store::NoticeRepository repo(*db);
    REQUIRE(repo.replace_all(core::demo_notices()).ok());

    const std::vector<core::Notice> next{
        {10, core::NoticeKind::Health, "流感疫苗接种", "12月10日起社区卫生服务站可接种流感疫苗。", "", {2026, 12, 1}},
        {11,
         core::NoticeKind::Policy,
         "医保缴费提醒",
         "2027年度城乡居民医保请于12月31日前缴费。",
         "怀来县医保局",
         {2026, 12, 2}},
        // Same day as 11: ties keep a stable order by id.
        {12,
         core::NoticeKind::AntiFraud,
         "警惕保健品推销",
         "不要参加“免费领鸡蛋”讲座。",
         "佳禾社区居委会",
         {2026, 12, 2}},
    };
    REQUIRE(repo.replace_all(next).ok());
    auto got = list(repo);
    REQUIRE(got.size() == 3);
    CHECK(got[0].id == 11);
    CHECK(got[1].id == 12);
    CHECK(got[2].id == 10);
    check_same(got[0], next[1]);
    check_same(got[1], next[2]);
    check_same(got[2], next[0]);
    CHECK(got[2].issuer.empty());
    for (const auto& old : core::demo_notices()) CHECK(by_id(got, old.id) == nullptr);

    REQUIRE(repo.replace_all(std::vector<core::Notice>{}).ok());
    CHECK(list(repo).empty());
}

TEST_CASE("notices: a failing replace keeps the old notices") {
    TempDir tmp;
    auto db = open_db(tmp / "kiosk.db");
    store::NoticeRepository repo(*db);
    REQUIRE(repo.replace_all(core::demo_notices()).ok());

    auto dup = core::demo_notices();
    dup[3].id = dup[0].id;  // two notices with one id
    auto r = repo.replace_all(dup);
    REQUIRE_FALSE(r.ok());
    const auto got = list(repo);
    REQUIRE(got.size() == 4);
    for (const auto& want : core::demo_notices()) {
        const auto* n = by_id(got, want.id);
        REQUIRE(n != nullptr);
        check_same(*n, want);
    }
}
