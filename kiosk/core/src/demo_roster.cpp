#include "kiosk/core/demo_roster.hpp"

#include <array>
#include <cstdint>
#include <cstdio>
#include <string_view>
#include <unordered_set>

#include "kiosk/core/id_number.hpp"

namespace kiosk::core {

namespace {

// splitmix64: tiny, well-distributed, and identical everywhere.
class Rng {
public:
    explicit Rng(std::uint64_t seed) : s_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    // uniform in [lo, hi]
    int between(int lo, int hi) {
        return lo + static_cast<int>(next() % static_cast<std::uint64_t>(hi - lo + 1));
    }
    bool chance(int percent) { return between(1, 100) <= percent; }
    template <typename T, std::size_t N>
    const T& pick(const std::array<T, N>& a) {
        return a[static_cast<std::size_t>(next() % N)];
    }

private:
    std::uint64_t s_;
};

constexpr std::uint64_t kSeed = 0x4A6961486548756Cull;  // "JiaHeHul"

// Common surnames, the most frequent repeated so they come up more often.
constexpr std::array<std::string_view, 48> kSurnames{
    "王", "王", "王", "李", "李", "李", "张", "张", "张", "刘", "刘", "陈", "陈", "杨",
    "赵", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马",
    "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹", "袁",
    "邓", "许", "傅", "沈", "曾", "彭"};

// Given names typical of people born 1928-1970 in northern China, with a few
// rare characters that a fixed font subset would miss (赟 堃 喆 昇 淼 犇 燚 䶮).
constexpr std::array<std::string_view, 44> kFemaleGiven{
    "桂兰", "秀英", "淑珍", "玉兰", "凤英", "桂英", "秀兰", "淑兰", "玉珍", "素芬", "桂芳",
    "秀珍", "凤兰", "玉梅", "淑英", "翠兰", "秀云", "桂珍", "玉华", "春梅", "秀芳", "淑华",
    "金凤", "玉芬", "丽华", "淑芬", "秀荣", "桂荣", "凤琴", "玉英", "红梅", "彩霞", "美兰",
    "兰英", "冬梅", "桂香", "素英", "秀梅", "淑清", "瑞英", "喆", "淼", "亚琴", "晓燕"};
constexpr std::array<std::string_view, 44> kMaleGiven{
    "德福", "建国", "志强", "国华", "振华", "富贵", "文明", "永福", "长林", "宝山", "建军",
    "国庆", "俊峰", "树林", "德胜", "玉林", "占山", "广才", "福生", "有才", "德明", "国强",
    "学文", "金山", "春生", "永胜", "连成", "凤岐", "殿臣", "福来", "守义", "万福", "立新",
    "卫东", "红旗", "跃进", "和平", "铁柱", "赟", "堃", "昇", "犇", "燚", "䶮"};

constexpr std::array<std::string_view, 3> kAreas{"佳禾小区一区", "佳禾小区二区", "佳禾小区三区"};

// Most residents are registered in Huailai; some elsewhere (context.md: one
// terminal serves people registered in other townships and counties).
constexpr std::array<std::string_view, 10> kRegions{"130730", "130730", "130730", "130730", "130730",
                                                    "130730", "130731", "130732", "130705", "110108"};

constexpr std::uint64_t kFirstCard = 4215869;

std::string make_id(std::string_view region, CivilDate birth, int seq3) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.*s%04d%02d%02d%03d", static_cast<int>(region.size()), region.data(),
                  birth.year, birth.month, birth.day, seq3);
    std::string id(buf);
    id.push_back(id_check_char(id));
    return id;
}

std::string make_card(std::uint64_t n) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%010llu", static_cast<unsigned long long>(n));
    return buf;
}

RosterEntry fixed(RosterId id, std::string_view name, Gender g, CivilDate birth, std::string_view id_number,
                  Categories cats, Address addr, std::string_view phone) {
    RosterEntry e;
    e.resident.id = id;
    e.resident.name = std::string(name);
    e.resident.gender = g;
    e.resident.birth = birth;
    e.resident.categories = cats;
    e.resident.address = std::move(addr);
    e.resident.masked_id = mask_id_number(id_number);
    e.resident.phone = std::string(phone);
    e.id_number = std::string(id_number);
    e.card = make_card(kFirstCard + static_cast<std::uint64_t>(id - 1));
    return e;
}

}  // namespace

std::vector<RosterEntry> demo_roster(std::size_t count) {
    std::vector<RosterEntry> out;
    out.reserve(count);
    // The residents the demo script and the tests name (issue #2).
    const std::array<RosterEntry, 3> pinned{
        fixed(1, "张桂兰", Gender::Female, {1946, 3, 8}, "130730194603080024", {Category::LivingAlone},
              {"佳禾小区一区", 3, 2, "401"}, "13903130024"),
        fixed(2, "王德福", Gender::Male, {1941, 11, 2}, "130730194111020017", {Category::SubsistenceAllowance},
              {"佳禾小区二区", 7, 1, "102"}, "13503130017"),
        fixed(3, "李淑珍", Gender::Female, {1958, 7, 16}, "130730195807160047", {},
              {"佳禾小区三区", 1, 3, "502"}, "15803130047"),
    };
    std::unordered_set<std::string> ids{kDemoUnknownIdNumber};
    for (const auto& p : pinned) {
        if (out.size() == count) return out;
        ids.insert(p.id_number);
        out.push_back(p);
    }

    Rng rng(kSeed);
    while (out.size() < count) {
        const auto id = static_cast<RosterId>(out.size() + 1);
        Resident r;
        r.id = id;
        r.gender = rng.chance(55) ? Gender::Female : Gender::Male;  // women outlive men
        // Born 1928-1970: ages 55-98 through 2026.
        r.birth.year = rng.between(1928, 1970);
        r.birth.month = rng.between(1, 12);
        r.birth.day = rng.between(1, 28);
        r.name = std::string(rng.pick(kSurnames)) +
                 std::string(r.gender == Gender::Female ? rng.pick(kFemaleGiven) : rng.pick(kMaleGiven));
        const int age2026 = 2026 - r.birth.year;
        if (rng.chance(8)) r.categories.add(Category::SubsistenceAllowance);
        if (rng.chance(3)) r.categories.add(Category::ExtremePoverty);
        if (rng.chance(age2026 >= 80 ? 12 : 4)) r.categories.add(Category::Disabled);
        if (rng.chance(14)) r.categories.add(Category::LivingAlone);
        if (age2026 >= 80 && rng.chance(70)) r.categories.add(Category::AdvancedAge);
        if (rng.chance(3)) r.categories.add(Category::EntitledGroup);
        r.address.area = std::string(rng.pick(kAreas));
        r.address.building = rng.between(1, 12);
        r.address.unit = rng.between(1, 4);
        r.address.room = std::to_string(rng.between(1, 6) * 100 + rng.between(1, 2));
        if (rng.chance(85)) {
            static constexpr std::array<std::string_view, 6> kPrefixes{"135", "139", "138", "158", "150", "187"};
            char buf[16];
            std::snprintf(buf, sizeof buf, "%08d", rng.between(0, 99999999));
            r.phone = std::string(rng.pick(kPrefixes)) + buf;
        }

        // The 17th digit is odd for men and even for women; retry on the rare collision.
        std::string id_number;
        do {
            int seq = rng.between(0, 999);
            const bool odd = (seq % 2) == 1;
            if (odd != (r.gender == Gender::Male)) seq = (seq + 1) % 1000;
            id_number = make_id(rng.pick(kRegions), r.birth, seq);
        } while (!ids.insert(id_number).second);
        r.masked_id = mask_id_number(id_number);

        RosterEntry e;
        e.resident = std::move(r);
        e.id_number = std::move(id_number);
        e.card = make_card(kFirstCard + static_cast<std::uint64_t>(id - 1));
        out.push_back(std::move(e));
    }
    return out;
}

std::vector<Notice> demo_notices() {
    return {
        {1, NoticeKind::AntiFraud, "谨防养老诈骗",
         "近期有人冒充社保工作人员上门或打电话，以“养老金认证”“高额返利”为名骗取钱财。"
         "工作人员不会索要银行卡密码和验证码。遇到可疑情况，请拨打社区电话或110。",
         "佳禾社区居委会", {2026, 11, 20}},
        {2, NoticeKind::Health, "免费健康体检通知",
         "12月3日至5日上午8点到11点，县医院医生在社区党群服务中心为60岁以上居民免费体检。"
         "请带身份证，空腹前来。行动不便的老人可联系网格员预约上门。",
         "佳禾社区卫生服务站", {2026, 11, 22}},
        {3, NoticeKind::Policy, "高龄津贴申请提醒",
         "年满80周岁的老人可申请高龄津贴。请本人或家属带身份证、户口本到服务台办理，"
         "已办理的无需重复申请。",
         "怀来县民政局", {2026, 11, 18}},
        {4, NoticeKind::Activity, "冬至包饺子活动",
         "12月21日冬至上午9点，在老年餐厅一起包饺子。欢迎居民和志愿者报名参加，名额60人。",
         "佳禾社区党委", {2026, 11, 24}},
    };
}

}  // namespace kiosk::core
