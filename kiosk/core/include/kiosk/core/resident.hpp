#pragma once
// Residents on the roster and what identifies them.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/civil_date.hpp"

namespace kiosk::core {

using RosterId = std::int64_t;

enum class Gender : std::uint8_t { Unknown = 0, Male = 1, Female = 2 };

// Resident categories that change subsidies and follow-up (context.md).
enum class Category : std::uint8_t {
    SubsistenceAllowance,  // 低保
    ExtremePoverty,        // 特困
    Disabled,              // 失能
    LivingAlone,           // 独居
    AdvancedAge,           // 高龄
    EntitledGroup,         // 优抚
};
inline constexpr int kCategoryCount = 6;

// A small set of categories (a resident can be in several).
class Categories {
public:
    constexpr Categories() = default;
    constexpr Categories(std::initializer_list<Category> cs) {
        for (Category c : cs) add(c);
    }
    constexpr void add(Category c) { bits_ |= bit(c); }
    [[nodiscard]] constexpr bool has(Category c) const { return (bits_ & bit(c)) != 0; }
    [[nodiscard]] constexpr bool empty() const { return bits_ == 0; }
    [[nodiscard]] constexpr std::uint8_t bits() const { return bits_; }
    static constexpr Categories from_bits(std::uint8_t b) {
        Categories c;
        c.bits_ = static_cast<std::uint8_t>(b & ((1u << kCategoryCount) - 1));
        return c;
    }
    constexpr bool operator==(const Categories&) const = default;

private:
    static constexpr std::uint8_t bit(Category c) {
        return static_cast<std::uint8_t>(1u << static_cast<unsigned>(c));
    }
    std::uint8_t bits_ = 0;
};

// Stable codes used in config, exports and the store ("dibao", ...).
[[nodiscard]] std::string_view category_code(Category c);
[[nodiscard]] std::optional<Category> category_from_code(std::string_view code);
// The Chinese term ("低保", ...), which is also how the roster spells it.
[[nodiscard]] std::string_view category_zh(Category c);
[[nodiscard]] std::optional<Category> category_from_zh(std::string_view zh);

[[nodiscard]] std::string_view gender_code(Gender g);  // "M", "F", "U"

// A name as printed on slips and tickets: the first and last characters kept,
// the ones between starred: 张桂兰 -> 张*兰, 欧阳淑珍 -> 欧**珍; a two-character
// name keeps its first: 王鑫 -> 王*. Counts characters, not bytes.
[[nodiscard]] std::string mask_name(std::string_view utf8_name);

// Where a resident lives: residential area, building, unit, room.
struct Address {
    std::string area;      // 佳禾小区一区
    int building = 0;      // 3  (3号楼)
    int unit = 0;          // 2  (2单元)
    std::string room;      // 401

    [[nodiscard]] bool empty() const { return area.empty(); }
    // "佳禾小区一区 3号楼 2单元 401"
    [[nodiscard]] std::string zh() const;
    bool operator==(const Address&) const = default;
};

struct Resident {
    RosterId id = 0;
    std::string name;
    Gender gender = Gender::Unknown;
    CivilDate birth;
    Categories categories;
    Address address;
    std::string masked_id;  // "130***********0024"; the full number is never kept
    std::string phone;      // may be empty
    bool prefers_plain_name = false;  // greet by name only, without 奶奶 / 爷爷

    bool operator==(const Resident&) const = default;
};

}  // namespace kiosk::core
