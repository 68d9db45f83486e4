//! A hayro `Device` that records glyphs (text, position, size, font) and
//! thin horizontal rules instead of rendering them.

use std::collections::HashMap;

use hayro_interpret::font::Glyph;
use hayro_interpret::{
    BlendMode, ClipPath, Device, GlyphDrawMode, Image, Paint, PathDrawMode, SoftMask,
};
use kurbo::{Affine, BezPath, Point, Shape};

/// One glyph as drawn, in page space with y growing downwards (top = 0).
#[derive(Debug, Clone)]
pub(crate) struct RawGlyph {
    pub text: String,
    /// Origin on the baseline.
    pub x: f32,
    pub y: f32,
    /// Advance width.
    pub w: f32,
    /// Font size (em) in page units.
    pub size: f32,
    pub font: u128,
    /// A digit glyph whose outline sits high above the baseline: an
    /// OpenType `sups` glyph (Typst footnote markers are drawn this way).
    pub sup_shape: bool,
    pub mcid: Option<i32>,
}

/// A thin horizontal line (footnote separator candidates).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rule {
    pub x0: f32,
    pub x1: f32,
    pub y: f32,
}

pub(crate) struct Collector {
    pub glyphs: Vec<RawGlyph>,
    pub rules: Vec<Rule>,
    pub images: usize,
    /// Glyphs with no Unicode mapping.
    pub unmapped: usize,
    /// Glyphs not read because of the per-page cap.
    pub overflow: bool,
    max_glyphs: usize,
    mcids: Vec<Option<i32>>,
    /// (font, glyph id) → sits high (superscript shape).
    shape_cache: HashMap<(u128, u16), bool>,
}

impl Collector {
    pub fn new(max_glyphs: usize) -> Self {
        Collector {
            glyphs: Vec::new(),
            rules: Vec::new(),
            images: 0,
            unmapped: 0,
            overflow: false,
            max_glyphs,
            mcids: Vec::new(),
            shape_cache: HashMap::new(),
        }
    }
}

impl<'a> Device<'a> for Collector {
    fn set_soft_mask(&mut self, _: Option<SoftMask<'a>>) {}
    fn set_blend_mode(&mut self, _: BlendMode) {}

    fn draw_path(&mut self, path: &BezPath, transform: Affine, _: &Paint<'a>, _: &PathDrawMode) {
        if self.rules.len() >= 10_000 {
            return;
        }
        let bb = (transform * path.clone()).bounding_box();
        let (w, h) = (bb.width(), bb.height());
        if w.is_finite() && h.is_finite() && h < 2.5 && w > 15.0 {
            self.rules.push(Rule {
                x0: bb.x0 as f32,
                x1: bb.x1 as f32,
                y: ((bb.y0 + bb.y1) / 2.0) as f32,
            });
        }
    }

    fn push_clip_path(&mut self, _: &ClipPath) {}
    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}

    fn draw_glyph(
        &mut self,
        glyph: &Glyph<'a>,
        transform: Affine,
        glyph_transform: Affine,
        _: &Paint<'a>,
        _: &GlyphDrawMode,
    ) {
        if self.glyphs.len() >= self.max_glyphs {
            self.overflow = true;
            return;
        }
        let full = transform * glyph_transform;
        let origin = full * Point::ORIGIN;
        // Glyph space is 1000 units per em.
        let up = full * Point::new(0.0, 1000.0) - origin;
        let right = full * Point::new(1000.0, 0.0) - origin;
        let size = up.hypot() as f32;
        if !origin.x.is_finite() || !origin.y.is_finite() || !(0.5..2000.0).contains(&size) {
            return;
        }
        // Only horizontal text (rotated text: margins notes, stamps) is read.
        if right.y.abs() > 0.2 * right.x.abs() || right.x <= 0.0 {
            return;
        }
        let (text, font, gid, adv) = match glyph {
            Glyph::Outline(g) => (
                g.as_unicode(),
                g.font_cache_key(),
                Some(g.glyph_id().to_u32()),
                g.advance_width(),
            ),
            Glyph::Type3(g) => (g.as_unicode(), 0, None, None),
        };
        let text = match text {
            Some(hayro_interpret::hayro_cmap::BfString::Char(c)) => c.to_string(),
            Some(hayro_interpret::hayro_cmap::BfString::String(s)) => s,
            None => {
                self.unmapped += 1;
                return;
            }
        };
        if text.chars().all(|c| c.is_control() && c != ' ') {
            return;
        }
        let scale = right.hypot() / 1000.0;
        let w = match adv {
            Some(a) if a.is_finite() && a > 0.0 => (a as f64 * scale) as f32,
            _ => size * 0.5 * text.chars().count() as f32,
        };
        let mut sup_shape = false;
        if let (Glyph::Outline(g), Some(gid)) = (glyph, gid)
            && text.chars().all(|c| c.is_ascii_digit())
        {
            let key = (font, gid.min(u16::MAX as u32) as u16);
            sup_shape = *self.shape_cache.entry(key).or_insert_with(|| {
                let bb = g.outline().bounding_box();
                // Lining digits sit on the baseline (y0 ≈ 0); superscript
                // digits start at about a third of the em.
                bb.y0.is_finite() && bb.y0 > 250.0 && bb.height() > 50.0
            });
        }
        self.glyphs.push(RawGlyph {
            text,
            x: origin.x as f32,
            y: origin.y as f32,
            w,
            size,
            font,
            sup_shape,
            mcid: self.mcids.last().copied().flatten(),
        });
    }

    fn draw_image(&mut self, _: Image<'a, '_>, _: Affine) {
        self.images += 1;
    }
    fn pop_clip_path(&mut self) {}
    fn pop_transparency_group(&mut self) {}

    fn begin_marked_content(&mut self, _tag: &[u8], mcid: Option<i32>) {
        if self.mcids.len() < 256 {
            let inherited = self.mcids.last().copied().flatten();
            self.mcids.push(mcid.or(inherited));
        }
    }
    fn end_marked_content(&mut self) {
        self.mcids.pop();
    }
}
