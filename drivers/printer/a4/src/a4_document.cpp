// A4 PDF rendering with cairo + pango.
//
// Index
//   [SECTION] Wrappers          owning pointers for cairo, pango and GObject
//   [SECTION] Checks            empty documents, UTF-8, style ranges, the font
//   [SECTION] Layout            placing lines, table rows and rules on pages
//   [SECTION] Glyphs            drawing text, and why CFF fonts go out as outlines
//   [SECTION] Drawing           items to cairo, footer and page label
//   [SECTION] Entry points      render_pdf, write_pdf_file
//
// Two passes: the layout pass decides what goes on which page (so the page
// label can say "共 N 页"), the drawing pass paints it. One PangoContext and
// one cairo_t serve the whole document; all sizes are in PDF points.
#include "drivers/printer/a4_document.hpp"

#include <cairo-ft.h>
#include <cairo-pdf.h>
#include <cairo.h>
#include <fcntl.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_FONT_FORMATS_H
#include <glib.h>
#include <pango/pangocairo.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <new>
#include <string_view>
#include <unordered_map>

namespace drivers::a4 {
namespace {

// ---------------------------------------------------------------------------
// [SECTION] Wrappers
// ---------------------------------------------------------------------------

constexpr double kPageWidth = 595.276;  // A4 in points
constexpr double kPageHeight = 841.89;
constexpr double kPointsPerMm = 72.0 / 25.4;

struct GObjectUnref {
    void operator()(void* p) const {
        if (p != nullptr) g_object_unref(p);
    }
};
struct SurfaceDestroy {
    void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct CairoDestroy {
    void operator()(cairo_t* c) const { cairo_destroy(c); }
};
struct FontDescriptionFree {
    void operator()(PangoFontDescription* d) const { pango_font_description_free(d); }
};
struct LayoutIterFree {
    void operator()(PangoLayoutIter* i) const { pango_layout_iter_free(i); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, GObjectUnref>;
using ContextPtr = std::unique_ptr<PangoContext, GObjectUnref>;
using SurfacePtr = std::unique_ptr<cairo_surface_t, SurfaceDestroy>;
using CairoPtr = std::unique_ptr<cairo_t, CairoDestroy>;
using FontPtr = std::unique_ptr<PangoFontDescription, FontDescriptionFree>;
using IterPtr = std::unique_ptr<PangoLayoutIter, LayoutIterFree>;

double units(int pango_units) { return pango_units_to_double(pango_units); }
int to_units(double points) { return pango_units_from_double(points); }

// ---------------------------------------------------------------------------
// [SECTION] Checks
// ---------------------------------------------------------------------------

DriverError error(std::string code, std::string message) { return DriverError{std::move(code), std::move(message)}; }

bool has_text(std::string_view s) { return s.find_first_not_of(" \t\r\n") != std::string_view::npos; }

bool valid_utf8(const std::string& s) {
    return s.empty() || g_utf8_validate(s.data(), static_cast<gssize>(s.size()), nullptr) == TRUE;
}

bool table_has_text(const A4Table& t) {
    if (std::any_of(t.header.begin(), t.header.end(), [](const std::string& c) { return has_text(c); })) return true;
    return std::any_of(t.rows.begin(), t.rows.end(), [](const std::vector<std::string>& row) {
        return std::any_of(row.begin(), row.end(), [](const std::string& c) { return has_text(c); });
    });
}

bool block_has_text(const A4Block& b) {
    if (const auto* p = std::get_if<A4Paragraph>(&b)) return has_text(p->text);
    if (const auto* h = std::get_if<A4Heading>(&b)) return has_text(h->text);
    return table_has_text(std::get<A4Table>(b));
}

std::size_t table_columns(const A4Table& t) {
    std::size_t n = t.header.size();
    for (const auto& row : t.rows) n = std::max(n, row.size());
    return n;
}

Expected<void> check_notice(const A4Notice& n) {
    const bool any_body =
        std::any_of(n.paragraphs.begin(), n.paragraphs.end(), [](const std::string& p) { return has_text(p); }) ||
        std::any_of(n.blocks.begin(), n.blocks.end(), block_has_text);
    if (!has_text(n.title) && !any_body)
        return error("a4.empty_document", "the document has neither a title nor any text; nothing to print");

    auto bad = [](const std::string& field) {
        return error("a4.bad_text", "the document's " + field + " is not valid UTF-8 text");
    };
    if (!valid_utf8(n.title)) return bad("title");
    if (!valid_utf8(n.issuer)) return bad("issuer");
    if (!valid_utf8(n.date)) return bad("date");
    if (!valid_utf8(n.footer)) return bad("footer");
    for (std::size_t i = 0; i < n.paragraphs.size(); ++i)
        if (!valid_utf8(n.paragraphs[i])) return bad("paragraph " + std::to_string(i + 1));
    for (std::size_t i = 0; i < n.blocks.size(); ++i) {
        const std::string where = "block " + std::to_string(i + 1);
        const A4Block& b = n.blocks[i];
        if (const auto* p = std::get_if<A4Paragraph>(&b)) {
            if (!valid_utf8(p->text)) return bad(where);
        } else if (const auto* h = std::get_if<A4Heading>(&b)) {
            if (!valid_utf8(h->text)) return bad(where);
        } else {
            const auto& t = std::get<A4Table>(b);
            for (const auto& c : t.header)
                if (!valid_utf8(c)) return bad(where + " (table header)");
            for (std::size_t r = 0; r < t.rows.size(); ++r)
                for (const auto& c : t.rows[r])
                    if (!valid_utf8(c)) return bad(where + " (table row " + std::to_string(r + 1) + ")");
            const std::size_t cols = table_columns(t);
            if (!t.widths.empty()) {
                if (t.widths.size() != cols)
                    return error("a4.bad_style", where + ": the table has " + std::to_string(cols) + " columns but " +
                                                     std::to_string(t.widths.size()) + " widths");
                if (std::any_of(t.widths.begin(), t.widths.end(), [](double w) { return !(w > 0.0); }))
                    return error("a4.bad_style", where + ": table column widths must be greater than zero");
            }
        }
    }
    return {};
}

Expected<void> check_style(const A4Style& s) {
    auto size_ok = [](double pt) { return pt >= 6.0 && pt <= 72.0; };
    if (!size_ok(s.title_pt) || !size_ok(s.meta_pt) || !size_ok(s.heading_pt) || !size_ok(s.body_pt) ||
        !size_ok(s.table_pt) || !size_ok(s.footer_pt))
        return error("a4.bad_style", "font sizes must be between 6 and 72 points");
    if (!(s.line_spacing >= 1.0 && s.line_spacing <= 3.0))
        return error("a4.bad_style", "line spacing must be between 1.0 and 3.0");
    if (!(s.margin_mm >= 5.0 && s.margin_mm <= 50.0))
        return error("a4.bad_style", "margins must be between 5 and 50 mm");
    if (!(s.paragraph_gap_pt >= 0.0 && s.paragraph_gap_pt <= 100.0))
        return error("a4.bad_style", "the paragraph gap must be between 0 and 100 points");
    if (s.font_family.empty()) return error("a4.bad_style", "no font family given");
    if (!valid_utf8(s.page_label) || !valid_utf8(s.creator))
        return error("a4.bad_style", "the page label or creator is not valid UTF-8 text");
    return {};
}

// Is the family installed? pango's default font map is per thread, so the
// answer is cached per thread (only positive answers: a font installed later
// is found on the next call).
bool font_installed(const std::string& family) {
    thread_local std::string known;
    if (!known.empty() && known == family) return true;
    PangoFontMap* map = pango_cairo_font_map_get_default();  // owned by pango, per thread
    PangoFontFamily** families = nullptr;
    int n = 0;
    pango_font_map_list_families(map, &families, &n);
    bool found = false;
    for (int i = 0; i < n && !found; ++i)
        found = g_ascii_strcasecmp(pango_font_family_get_name(families[i]), family.c_str()) == 0;
    g_free(families);
    if (found) known = family;
    return found;
}

// ---------------------------------------------------------------------------
// [SECTION] Layout
// ---------------------------------------------------------------------------

struct Item {
    enum class Kind { Line, Block, Rule, Shade, Frame };
    Kind kind = Kind::Line;
    PangoLayoutLine* line = nullptr;    // Line: drawn with its baseline at (x, y)
    PangoLayout* layout = nullptr;      // Block: a whole layout, top-left at (x, y)
    double x = 0, y = 0, w = 0, h = 0;  // Rule: (x, y) to (x + w, y); Shade, Frame: a rectangle
};

using Page = std::vector<Item>;

struct Geometry {
    double left = 0, right = 0, top = 0, bottom = 0;  // the body's box
    [[nodiscard]] double width() const { return right - left; }
};

class Layouter {
public:
    Layouter(PangoContext* ctx, const A4Style& style, Geometry g) : ctx_(ctx), style_(style), g_(g) {
        pages_.emplace_back();
        y_ = g_.top;
    }

    // A layout of `text` `width` points wide. Owned by the Layouter, so
    // items may point into it until drawing is done.
    PangoLayout* make(const std::string& text, double pt, bool bold, double width, PangoAlignment align, double line_em,
                      double indent_pt = 0.0) {
        LayoutPtr layout(pango_layout_new(ctx_));
        FontPtr font(pango_font_description_new());
        pango_font_description_set_family(font.get(), style_.font_family.c_str());
        pango_font_description_set_absolute_size(font.get(), pt * PANGO_SCALE);
        pango_font_description_set_weight(font.get(), bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
        pango_layout_set_font_description(layout.get(), font.get());
        pango_layout_set_width(layout.get(), to_units(width));
        pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
        pango_layout_set_alignment(layout.get(), align);
        if (indent_pt > 0.0) pango_layout_set_indent(layout.get(), to_units(indent_pt));
        // The distance between baselines, as a multiple of the font size
        // (CSS line-height), whatever the font's own ascent and descent.
        PangoAttrList* attrs = pango_attr_list_new();
        pango_attr_list_insert(attrs, pango_attr_line_height_new_absolute(to_units(pt * line_em)));
        pango_layout_set_attributes(layout.get(), attrs);
        pango_attr_list_unref(attrs);
        pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));
        layouts_.push_back(std::move(layout));
        return layouts_.back().get();
    }

    static double height(PangoLayout* layout) {
        PangoRectangle logical;
        pango_layout_get_extents(layout, nullptr, &logical);
        return units(logical.height);
    }

    // Places `layout` at x = left, line by line, starting a page whenever
    // the next line does not fit.
    void flow(PangoLayout* layout) {
        IterPtr iter(pango_layout_get_iter(layout));
        do {
            int y0 = 0, y1 = 0;
            pango_layout_iter_get_line_yrange(iter.get(), &y0, &y1);
            PangoRectangle logical;
            pango_layout_iter_get_line_extents(iter.get(), nullptr, &logical);
            const int baseline = pango_layout_iter_get_baseline(iter.get());
            const double h = units(y1 - y0);
            ensure(h);
            Item item;
            item.kind = Item::Kind::Line;
            item.line = pango_layout_iter_get_line_readonly(iter.get());
            item.x = g_.left + units(logical.x);
            item.y = y_ + units(baseline - y0);
            page().push_back(item);
            y_ += h;
        } while (pango_layout_iter_next_line(iter.get()) == TRUE);
    }

    // Starts a page unless `h` points still fit on this one (or this page
    // is empty: something taller than a page goes on a page of its own).
    void ensure(double h) {
        if (y_ + h > g_.bottom + 0.01 && y_ > g_.top + 0.01) new_page();
    }
    void new_page() {
        pages_.emplace_back();
        y_ = g_.top;
    }
    void rule(double line_gap) {
        Item item;
        item.kind = Item::Kind::Rule;
        item.x = g_.left;
        item.y = y_ + line_gap / 2.0;
        item.w = g_.width();
        page().push_back(item);
        y_ += line_gap;
    }

    void header(const A4Notice& n) {
        if (has_text(n.title)) {
            flow(make(n.title, style_.title_pt, true, g_.width(), PANGO_ALIGN_CENTER, 1.3));
            y_ += style_.title_pt * 0.4;
        }
        std::string meta = n.issuer;
        if (has_text(n.issuer) && has_text(n.date)) meta += "\u3000\u3000";  // two ideographic spaces
        if (has_text(n.date)) meta += n.date;
        if (has_text(meta)) flow(make(meta, style_.meta_pt, false, g_.width(), PANGO_ALIGN_CENTER, 1.3));
        if (has_text(n.title) || has_text(meta)) rule(style_.body_pt);
    }

    void paragraph(const std::string& text) {
        if (!has_text(text)) return;
        const double indent = style_.indent_first_line ? 2.0 * style_.body_pt : 0.0;
        flow(make(text, style_.body_pt, false, g_.width(), PANGO_ALIGN_LEFT, style_.line_spacing, indent));
        y_ += style_.paragraph_gap_pt;
    }

    void heading(const std::string& text) {
        if (!has_text(text)) return;
        PangoLayout* layout = make(text, style_.heading_pt, true, g_.width(), PANGO_ALIGN_LEFT, 1.3);
        // Keep the heading with at least two lines of what follows.
        ensure(height(layout) + 2.0 * style_.body_pt * style_.line_spacing);
        flow(layout);
        y_ += style_.paragraph_gap_pt / 2.0;
    }

    void table(const A4Table& t) {
        const std::size_t cols = table_columns(t);
        if (cols == 0 || !table_has_text(t)) return;
        std::vector<double> x(cols), w(cols);
        double total = 0.0;
        for (std::size_t c = 0; c < cols; ++c) total += t.widths.empty() ? 1.0 : t.widths[c];
        double at = g_.left;
        for (std::size_t c = 0; c < cols; ++c) {
            x[c] = at;
            w[c] = g_.width() * (t.widths.empty() ? 1.0 : t.widths[c]) / total;
            at += w[c];
        }
        const double pad = std::max(3.0, style_.table_pt * 0.35);

        struct Row {
            std::vector<PangoLayout*> cells;
            double h = 0;
            bool shaded = false;
        };
        auto make_row = [&](const std::vector<std::string>& texts, bool bold) {
            Row row;
            row.shaded = bold;
            for (std::size_t c = 0; c < cols; ++c) {
                const A4Align a = c < t.align.size() ? t.align[c] : A4Align::Start;
                const PangoAlignment pa = a == A4Align::Centre ? PANGO_ALIGN_CENTER
                                          : a == A4Align::End  ? PANGO_ALIGN_RIGHT
                                                               : PANGO_ALIGN_LEFT;
                static const std::string blank;
                const std::string& text = c < texts.size() ? texts[c] : blank;
                PangoLayout* cell = make(text, style_.table_pt, bold, std::max(1.0, w[c] - 2 * pad), pa, 1.3);
                row.cells.push_back(cell);
                row.h = std::max(row.h, height(cell) + 2 * pad);
            }
            return row;
        };
        auto place = [&](const Row& row) {
            if (row.shaded) {
                Item shade;
                shade.kind = Item::Kind::Shade;
                shade.x = g_.left;
                shade.y = y_;
                shade.w = g_.width();
                shade.h = row.h;
                page().push_back(shade);
            }
            for (std::size_t c = 0; c < cols; ++c) {
                Item cell;
                cell.kind = Item::Kind::Block;
                cell.layout = row.cells[c];
                cell.x = x[c] + pad;
                cell.y = y_ + pad;
                page().push_back(cell);
                Item frame;
                frame.kind = Item::Kind::Frame;
                frame.x = x[c];
                frame.y = y_;
                frame.w = w[c];
                frame.h = row.h;
                page().push_back(frame);
            }
            y_ += row.h;
        };

        const bool has_header = !t.header.empty();
        const Row head = has_header ? make_row(t.header, true) : Row{};
        bool need_header = has_header;
        for (std::size_t r = 0; r < t.rows.size(); ++r) {
            const Row row = make_row(t.rows[r], false);
            const double head_h = need_header ? head.h : 0.0;
            if (y_ + head_h + row.h > g_.bottom + 0.01 && y_ > g_.top + 0.01) {
                new_page();
                need_header = has_header;
            }
            if (need_header) {
                place(head);
                need_header = false;
            }
            place(row);
        }
        if (t.rows.empty() && has_header) {
            ensure(head.h);
            place(head);
        }
        y_ += style_.paragraph_gap_pt;
    }

    Page& page() { return pages_.back(); }
    std::vector<Page>& pages() { return pages_; }

private:
    PangoContext* ctx_;
    const A4Style& style_;
    Geometry g_;
    double y_ = 0;
    std::vector<Page> pages_;
    std::vector<LayoutPtr> layouts_;
};

// ---------------------------------------------------------------------------
// [SECTION] Glyphs
// ---------------------------------------------------------------------------
//
// Why text is not simply pango_cairo_show_layout_line(): cairo 1.16 (Debian
// 12) embeds a CFF font by subsetting its charstrings, and while looking for
// the subroutines a glyph uses it miscounts the bytes of a hintmask that comes
// after drawing has started (its operand count is not reset by path
// operators). It then skips real instructions, marks a needed subroutine as
// unused and replaces it with "return". In Noto Sans CJK SC this blanks 如
// (and breaks 瘃, and 忉 and 烪 in bold) outright, and other glyphs can break
// depending on which glyphs share the page, since a subroutine already seen
// is not parsed again. The glyph's text is still there, so pdftotext is happy
// while the paper shows a hole or a box.
//
// So glyphs of CFF fonts are drawn through a cairo user font whose glyphs
// are the real font's outlines: cairo embeds them as a Type 3 font (paths,
// no hinting, which printing does not need) and, since they are drawn with
// cairo_show_text_glyphs, with a ToUnicode map, so the text stays
// searchable. TrueType fonts (and A4Style::outline_cff_fonts = false) take
// pango's own path.

// Outlines are taken at this many units per em: FreeType's 26.6 fixed
// point would round a 1-unit em to 1/64.
constexpr double kOutlineEm = 1000.0;

const cairo_user_data_key_t kRealFaceKey{};

void unref_face(void* face) { cairo_font_face_destroy(static_cast<cairo_font_face_t*>(face)); }

cairo_status_t render_outline(cairo_scaled_font_t* proxy, unsigned long glyph, cairo_t* cr,
                              cairo_text_extents_t* extents) {
    auto* real = static_cast<cairo_font_face_t*>(
        cairo_font_face_get_user_data(cairo_scaled_font_get_font_face(proxy), &kRealFaceKey));
    if (real == nullptr) return CAIRO_STATUS_USER_FONT_ERROR;
    cairo_font_options_t* options = cairo_font_options_create();
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    cairo_set_font_options(cr, options);
    cairo_font_options_destroy(options);
    cairo_set_font_face(cr, real);
    cairo_scale(cr, 1.0 / kOutlineEm, 1.0 / kOutlineEm);
    cairo_set_font_size(cr, kOutlineEm);
    const cairo_glyph_t g{glyph, 0.0, 0.0};
    cairo_text_extents_t e;
    cairo_glyph_extents(cr, &g, 1, &e);
    cairo_glyph_path(cr, &g, 1);
    cairo_fill(cr);
    extents->x_bearing = e.x_bearing / kOutlineEm;
    extents->y_bearing = e.y_bearing / kOutlineEm;
    extents->width = e.width / kOutlineEm;
    extents->height = e.height / kOutlineEm;
    extents->x_advance = e.x_advance / kOutlineEm;
    extents->y_advance = e.y_advance / kOutlineEm;
    return cairo_status(cr);
}

// Per document: which fonts are CFF, and their outline proxies. Each proxy
// holds a reference to its real face; the map holds one to each proxy.
class GlyphPainter {
public:
    explicit GlyphPainter(bool outline_cff) : outline_cff_(outline_cff) {}
    ~GlyphPainter() {
        for (auto& [real, proxy] : proxies_)
            if (proxy != nullptr) cairo_font_face_destroy(proxy);
    }
    GlyphPainter(const GlyphPainter&) = delete;
    GlyphPainter& operator=(const GlyphPainter&) = delete;

    // Draws one line with its left end of the baseline at (x, y).
    void line(cairo_t* cr, PangoLayoutLine* line, double x, double y) {
        const char* text = pango_layout_get_text(line->layout);
        double at = x;
        for (GSList* l = line->runs; l != nullptr; l = l->next) {
            auto* run = static_cast<PangoGlyphItem*>(l->data);
            this->run(cr, text, run, at + units(run->start_x_offset), y - units(run->y_offset));
            at += units(pango_glyph_string_get_width(run->glyphs) + run->start_x_offset + run->end_x_offset);
        }
    }

    // Draws a whole layout with its top-left corner at (x, y).
    void layout(cairo_t* cr, PangoLayout* layout, double x, double y) {
        IterPtr iter(pango_layout_get_iter(layout));
        do {
            PangoRectangle logical;
            pango_layout_iter_get_line_extents(iter.get(), nullptr, &logical);
            line(cr, pango_layout_iter_get_line_readonly(iter.get()), x + units(logical.x),
                 y + units(pango_layout_iter_get_baseline(iter.get())));
        } while (pango_layout_iter_next_line(iter.get()) == TRUE);
    }

private:
    void run(cairo_t* cr, const char* text, PangoGlyphItem* run, double x, double y) {
        cairo_scaled_font_t* real =
            pango_cairo_font_get_scaled_font(reinterpret_cast<PangoCairoFont*>(run->item->analysis.font));
        cairo_font_face_t* proxy = real != nullptr ? proxy_for(real) : nullptr;
        std::vector<cairo_glyph_t> glyphs;
        std::vector<cairo_text_cluster_t> clusters;
        if (proxy != nullptr && (run->item->analysis.level % 2) == 0 && collect(text, run, x, y, glyphs, clusters)) {
            cairo_matrix_t font_matrix, ctm;
            cairo_scaled_font_get_font_matrix(real, &font_matrix);
            cairo_scaled_font_get_ctm(real, &ctm);
            cairo_font_options_t* options = cairo_font_options_create();
            cairo_scaled_font_get_font_options(real, options);
            cairo_scaled_font_t* outlines = cairo_scaled_font_create(proxy, &font_matrix, &ctm, options);
            cairo_font_options_destroy(options);
            cairo_set_scaled_font(cr, outlines);
            cairo_show_text_glyphs(cr, text + run->item->offset, run->item->length, glyphs.data(),
                                   static_cast<int>(glyphs.size()), clusters.data(), static_cast<int>(clusters.size()),
                                   static_cast<cairo_text_cluster_flags_t>(0));
            cairo_scaled_font_destroy(outlines);
            return;
        }
        cairo_move_to(cr, x, y);
        pango_cairo_show_glyph_item(cr, text, run);
    }

    // The run's glyphs placed at (x, y) and its clusters, for
    // cairo_show_text_glyphs. False when the run holds something only
    // pango draws (a missing-glyph box).
    static bool collect(const char* text, PangoGlyphItem* run, double x, double y, std::vector<cairo_glyph_t>& glyphs,
                        std::vector<cairo_text_cluster_t>& clusters) {
        const PangoGlyphString* gs = run->glyphs;
        for (int i = 0; i < gs->num_glyphs; ++i)
            if ((gs->glyphs[i].glyph & PANGO_GLYPH_UNKNOWN_FLAG) != 0U) return false;
        PangoGlyphItemIter it;
        int pen = 0;
        if (pango_glyph_item_iter_init_start(&it, run, text) == FALSE) return gs->num_glyphs == 0;
        do {
            cairo_text_cluster_t c{it.end_index - it.start_index, 0};
            for (int i = it.start_glyph; i < it.end_glyph; ++i) {
                const PangoGlyphInfo& g = gs->glyphs[i];
                if (g.glyph != PANGO_GLYPH_EMPTY) {
                    glyphs.push_back({g.glyph, x + units(pen + g.geometry.x_offset), y + units(g.geometry.y_offset)});
                    ++c.num_glyphs;
                }
                pen += g.geometry.width;
            }
            if (c.num_bytes > 0 || c.num_glyphs > 0) clusters.push_back(c);
        } while (pango_glyph_item_iter_next_cluster(&it) == TRUE);
        return true;
    }

    // The outline proxy of `real`'s face, or null when it is not a CFF font
    // (or outlines are off).
    cairo_font_face_t* proxy_for(cairo_scaled_font_t* real) {
        if (!outline_cff_ || cairo_scaled_font_get_type(real) != CAIRO_FONT_TYPE_FT) return nullptr;
        cairo_font_face_t* face = cairo_scaled_font_get_font_face(real);
        if (auto found = proxies_.find(face); found != proxies_.end()) return found->second;
        bool cff = false;
        if (FT_Face ft = cairo_ft_scaled_font_lock_face(real); ft != nullptr) {
            const char* format = FT_Get_Font_Format(ft);
            cff = format != nullptr && (std::strcmp(format, "CFF") == 0 || std::strcmp(format, "CID Type 1") == 0);
            cairo_ft_scaled_font_unlock_face(real);
        }
        cairo_font_face_t* proxy = nullptr;
        if (cff) {
            proxy = cairo_user_font_face_create();
            cairo_user_font_face_set_render_glyph_func(proxy, render_outline);
            cairo_font_face_set_user_data(proxy, &kRealFaceKey, cairo_font_face_reference(face), unref_face);
        }
        proxies_.emplace(face, proxy);
        return proxy;
    }

    bool outline_cff_;
    std::unordered_map<cairo_font_face_t*, cairo_font_face_t*> proxies_;
};

// ---------------------------------------------------------------------------
// [SECTION] Drawing
// ---------------------------------------------------------------------------

void draw(cairo_t* cr, GlyphPainter& glyphs, const Item& item) {
    switch (item.kind) {
        case Item::Kind::Line:
            glyphs.line(cr, item.line, item.x, item.y);
            break;
        case Item::Kind::Block:
            glyphs.layout(cr, item.layout, item.x, item.y);
            break;
        case Item::Kind::Rule:
            cairo_set_line_width(cr, 0.8);
            cairo_move_to(cr, item.x, item.y);
            cairo_line_to(cr, item.x + item.w, item.y);
            cairo_stroke(cr);
            break;
        case Item::Kind::Shade:
            cairo_save(cr);
            cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
            cairo_rectangle(cr, item.x, item.y, item.w, item.h);
            cairo_fill(cr);
            cairo_restore(cr);
            break;
        case Item::Kind::Frame:
            cairo_set_line_width(cr, 0.6);
            cairo_rectangle(cr, item.x, item.y, item.w, item.h);
            cairo_stroke(cr);
            break;
    }
}

std::string page_label(std::string label, std::size_t page, std::size_t pages) {
    auto replace = [&label](std::string_view key, const std::string& value) {
        for (std::size_t at = label.find(key); at != std::string::npos; at = label.find(key, at + value.size()))
            label.replace(at, key.size(), value);
    };
    replace("{page}", std::to_string(page));
    replace("{pages}", std::to_string(pages));
    return label;
}

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
    auto* out = static_cast<std::vector<std::uint8_t>*>(closure);
    try {
        out->insert(out->end(), data, data + length);
    } catch (...) {  // never let an exception unwind through cairo
        return CAIRO_STATUS_NO_MEMORY;
    }
    return CAIRO_STATUS_SUCCESS;
}

Expected<std::vector<std::uint8_t>> render(const A4Notice& notice, const A4Style& style) {
    std::vector<std::uint8_t> out;
    out.reserve(128 * 1024);
    SurfacePtr surface(cairo_pdf_surface_create_for_stream(append_bytes, &out, kPageWidth, kPageHeight));
    CairoPtr cr(cairo_create(surface.get()));
    if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS)
        return error("a4.render",
                     std::string("cannot start the PDF: ") + cairo_status_to_string(cairo_status(cr.get())));
    if (has_text(notice.title))
        cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, notice.title.c_str());
    if (has_text(notice.issuer))
        cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_AUTHOR, notice.issuer.c_str());
    if (!style.creator.empty())
        cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, style.creator.c_str());

    ContextPtr ctx(pango_cairo_create_context(cr.get()));
    pango_cairo_context_set_resolution(ctx.get(), 72.0);  // 1 pango point = 1 PDF point
    cairo_font_options_t* fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);  // vector output: exact advances
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(ctx.get(), fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(ctx.get(), FALSE);

    const double margin = style.margin_mm * kPointsPerMm;
    Geometry g{margin, kPageWidth - margin, margin, kPageHeight - margin};

    // The footer band: optional footer text, then the page label, under a rule.
    Layouter measure(ctx.get(), style, g);
    PangoLayout* footer = has_text(notice.footer)
                              ? measure.make(notice.footer, style.footer_pt, false, g.width(), PANGO_ALIGN_CENTER, 1.3)
                              : nullptr;
    const double footer_h = footer != nullptr ? Layouter::height(footer) : 0.0;
    const double label_h = Layouter::height(
        measure.make(page_label(style.page_label, 88, 88), style.footer_pt, false, g.width(), PANGO_ALIGN_CENTER, 1.3));
    const double band = footer_h + label_h + style.footer_pt;  // plus the space around the rule
    g.bottom = kPageHeight - margin - band;

    Layouter body(ctx.get(), style, g);
    body.header(notice);
    for (const auto& p : notice.paragraphs) body.paragraph(p);
    for (const auto& b : notice.blocks) {
        if (const auto* p = std::get_if<A4Paragraph>(&b))
            body.paragraph(p->text);
        else if (const auto* h = std::get_if<A4Heading>(&b))
            body.heading(h->text);
        else
            body.table(std::get<A4Table>(b));
    }

    auto& pages = body.pages();
    while (pages.size() > 1 && pages.back().empty()) pages.pop_back();
    const std::size_t count = pages.size();
    GlyphPainter glyphs(style.outline_cff_fonts);
    cairo_set_source_rgb(cr.get(), 0, 0, 0);
    for (std::size_t i = 0; i < count; ++i) {
        for (const Item& item : pages[i]) draw(cr.get(), glyphs, item);
        const double label_top = kPageHeight - margin - label_h;
        const double rule_y = g.bottom + style.footer_pt / 2.0;
        cairo_set_line_width(cr.get(), 0.5);
        cairo_move_to(cr.get(), g.left, rule_y);
        cairo_line_to(cr.get(), g.right, rule_y);
        cairo_stroke(cr.get());
        if (footer != nullptr) glyphs.layout(cr.get(), footer, g.left, label_top - footer_h);
        PangoLayout* label = body.make(page_label(style.page_label, i + 1, count), style.footer_pt, false, g.width(),
                                       PANGO_ALIGN_CENTER, 1.3);
        glyphs.layout(cr.get(), label, g.left, label_top);
        cairo_show_page(cr.get());
    }

    // Fonts are written out here, and outline glyphs drawn: the layouts and
    // the proxies must still be alive.
    cr.reset();
    cairo_surface_finish(surface.get());
    const cairo_status_t status = cairo_surface_status(surface.get());
    if (status != CAIRO_STATUS_SUCCESS)
        return error("a4.render", std::string("cairo could not write the PDF: ") + cairo_status_to_string(status));
    surface.reset();
    return out;
}

}  // namespace

// ---------------------------------------------------------------------------
// [SECTION] Entry points
// ---------------------------------------------------------------------------

Expected<std::vector<std::uint8_t>> render_pdf(const A4Notice& notice, const A4Style& style) {
    try {
        if (auto ok = check_style(style); !ok) return ok.error();
        if (auto ok = check_notice(notice); !ok) return ok.error();
        if (style.require_font && !font_installed(style.font_family))
            return error("a4.font_missing",
                         "the font \"" + style.font_family + "\" is not installed (Debian package fonts-noto-cjk)");
        return render(notice, style);
    } catch (const std::bad_alloc&) {
        return error("a4.render", "out of memory while rendering the PDF");
    }
}

Expected<void> write_pdf_file(std::span<const std::uint8_t> pdf, const std::string& path) {
    const std::string tmp = path + ".tmp";
    auto fail = [&](const std::string& what) {
        const int err = errno;
        return error("a4.write", "cannot " + what + " " + path + ": " + std::strerror(err));
    };
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return fail("create");
    std::size_t done = 0;
    while (done < pdf.size()) {
        const ssize_t n = ::write(fd, pdf.data() + done, pdf.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            auto e = fail("write");
            ::close(fd);
            ::unlink(tmp.c_str());
            return e;
        }
        done += static_cast<std::size_t>(n);
    }
    const bool synced = ::fsync(fd) == 0;
    auto sync_error = synced ? Expected<void>{} : Expected<void>{fail("write")};
    if (::close(fd) != 0 && synced) sync_error = fail("write");
    if (!sync_error) {
        ::unlink(tmp.c_str());
        return sync_error;
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        auto e = fail("rename the new file to");
        ::unlink(tmp.c_str());
        return e;
    }
    return {};
}

}  // namespace drivers::a4
