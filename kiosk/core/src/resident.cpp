#include "kiosk/core/resident.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace kiosk::core {

namespace {
struct CategoryNames {
    Category category;
    std::string_view code;
    std::string_view zh;
};
constexpr std::array<CategoryNames, kCategoryCount> kCategories{{
    {Category::SubsistenceAllowance, "dibao", "低保"},
    {Category::ExtremePoverty, "tekun", "特困"},
    {Category::Disabled, "shineng", "失能"},
    {Category::LivingAlone, "dujv", "独居"},
    {Category::AdvancedAge, "gaoling", "高龄"},
    {Category::EntitledGroup, "youfu", "优抚"},
}};
}  // namespace

std::string_view category_code(Category c) { return kCategories[static_cast<std::size_t>(c)].code; }
std::string_view category_zh(Category c) { return kCategories[static_cast<std::size_t>(c)].zh; }

std::optional<Category> category_from_code(std::string_view code) {
    for (const auto& n : kCategories)
        if (n.code == code) return n.category;
    return std::nullopt;
}

std::optional<Category> category_from_zh(std::string_view zh) {
    for (const auto& n : kCategories)
        if (n.zh == zh) return n.category;
    return std::nullopt;
}

std::string_view gender_code(Gender g) {
    switch (g) {
        case Gender::Male: return "M";
        case Gender::Female: return "F";
        case Gender::Unknown: break;
    }
    return "U";
}

namespace {
// Byte length of the UTF-8 sequence starting with `lead` (1 for stray bytes).
std::size_t utf8_len(unsigned char lead) {
    if (lead >= 0xF0) return 4;
    if (lead >= 0xE0) return 3;
    if (lead >= 0xC0) return 2;
    return 1;
}
}  // namespace

std::string mask_name(std::string_view name) {
    std::vector<std::string_view> chars;
    for (std::size_t i = 0; i < name.size();) {
        const std::size_t n = std::min(utf8_len(static_cast<unsigned char>(name[i])), name.size() - i);
        chars.push_back(name.substr(i, n));
        i += n;
    }
    if (chars.empty()) return {};
    if (chars.size() == 1) return std::string(chars[0]);
    std::string out(chars.front());
    const std::size_t stars = chars.size() == 2 ? 1 : chars.size() - 2;
    out.append(stars, '*');
    if (chars.size() > 2) out.append(chars.back());
    return out;
}

std::string Address::zh() const {
    if (area.empty()) return {};
    std::string out = area;
    if (building > 0) out += " " + std::to_string(building) + "号楼";
    if (unit > 0) out += " " + std::to_string(unit) + "单元";
    if (!room.empty()) out += " " + room;
    return out;
}

}  // namespace kiosk::core
