#pragma once
// The accessibility audit (elder-ux.md: "checked, not hoped").
//
// For every screen a headless run visits, one JSON record: each tappable's
// rectangle in mm, each text's em size in mm with its colours and contrast
// ratio, and the spoken prompt. check_audit() lists what falls under the floor.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kiosk/ui/frame_log.hpp"
#include "kiosk/ui/i18n.hpp"
#include "kiosk/ui/theme.hpp"

namespace kiosk::ui {

struct AuditContext {
    int width_px = 0, height_px = 0;
    Language language = Language::Chinese;
};

[[nodiscard]] nlohmann::ordered_json audit_record(const FrameLog& log, const Theme& theme, const AuditContext& ctx);

// Plain sentences, one per violation: "idle: button '签到' is 12.0 mm tall; the floor is 15 mm".
[[nodiscard]] std::vector<std::string> check_audit(const nlohmann::ordered_json& record, const Floors& floors = {});

}  // namespace kiosk::ui
