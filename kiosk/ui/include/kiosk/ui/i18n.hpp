#pragma once
// UI text by key, from the catalogs in assets/i18n (compiled in).
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kiosk/core/result.hpp"

namespace kiosk::ui {

enum class Language { Chinese, English };

[[nodiscard]] std::string_view language_code(Language l);  // "zh-CN", "en"
[[nodiscard]] Language language_from_code(std::string_view code);

using Catalog = std::map<std::string, std::string, std::less<>>;

// Parses a catalog (flat TOML: "key" = "text").
[[nodiscard]] Result<Catalog> parse_catalog(std::string_view toml_text, std::string_view source_name);
// The compiled-in catalog for a language.
[[nodiscard]] std::string_view embedded_catalog_text(Language l);

class I18n {
public:
    // Loads both compiled-in catalogs. A broken catalog is a build defect
    // (the catalog test catches it); here it leaves the keys visible.
    I18n();

    void set_language(Language l) { lang_ = l; }
    [[nodiscard]] Language language() const { return lang_; }

    // The text for `key` in the current language; falls back to Chinese, then
    // to the key itself so a missing text is visible rather than blank.
    [[nodiscard]] const std::string& tr(std::string_view key) const;
    // tr() with {name} placeholders replaced.
    [[nodiscard]] std::string format(std::string_view key,
                                     std::initializer_list<std::pair<std::string_view, std::string_view>> args) const;

    [[nodiscard]] const Catalog& catalog(Language l) const { return l == Language::Chinese ? zh_ : en_; }

private:
    Language lang_ = Language::Chinese;
    Catalog zh_, en_;
    mutable std::string missing_;
};

// Replaces {name} placeholders in `pattern`.
[[nodiscard]] std::string substitute(std::string_view pattern,
                                     std::initializer_list<std::pair<std::string_view, std::string_view>> args);

}  // namespace kiosk::ui
