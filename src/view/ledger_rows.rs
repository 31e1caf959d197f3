//! The ledger's rows as the page draws them: each row's texts, and its markup (the panel sets a
//! block's rows at once as markup instead of building ~17 nodes a row through Yew).

use super::i18n::{tr, trf, Lang};
use super::ledger_text::LedgerText as T;
use super::ledger_view::{Fate, LedgerLine};
use crate::model::ledger::Told;
use std::fmt::Write;

/// What one record's row shows.
#[derive(Debug, Clone, PartialEq)]
pub struct RowCells {
    pub record: u32,
    /// The row's place among the ledger's lines (its `aria-rowindex` is this + 2).
    pub index: usize,
    pub fate: Fate,
    /// The row's record is the one whose journey is highlighted.
    pub selected: bool,
    /// Where, told, sends, delivered, processed, fate: the texts of the row's six cells.
    pub cells: [String; 6],
}

impl RowCells {
    pub fn new(index: usize, l: &LedgerLine, lang: Lang, selected: bool) -> Self {
        RowCells {
            record: l.record,
            index,
            fate: l.fate,
            selected,
            cells: [
                format!("p{} / {}", l.partition, offsets_text(&l.offsets)),
                told_text(lang, l.told),
                format!("{} / {}", l.app_sends, l.attempts),
                l.delivered.to_string(),
                l.processed.to_string(),
                tr(lang, fate_text(l.fate)).to_string(),
            ],
        }
    }

    /// The row's CSS classes: its fate's, and `is-selected` for the highlighted record.
    pub fn class(&self) -> String {
        let fate = self.fate.class();
        if self.selected {
            format!("{fate} is-selected")
        } else {
            fate.to_string()
        }
    }

    /// The value of the row's `data-fate` (the end-to-end tests look rows up by it).
    pub fn fate_name(&self) -> String {
        format!("{:?}", self.fate)
    }

    /// The row's `aria-rowindex`: its place in the whole ledger, the head being row 1.
    pub fn row_index(&self) -> String {
        (self.index + 2).to_string()
    }

    /// Appends the row as markup to `out`, every text escaped: a row headed by its record's
    /// button (`data-record`, for the table's one click listener), then the six cells.
    pub fn push_markup(&self, out: &mut String) {
        let record = self.record;
        let _ = write!(
            out,
            "<tr class=\"{}\" data-record=\"{record}\" data-fate=\"{}\" aria-rowindex=\"{}\">\
             <th scope=\"row\"><button class=\"btn-link\" data-record=\"{record}\" \
             aria-pressed=\"{}\">m{record}</button></th>",
            self.class(),
            self.fate_name(),
            self.row_index(),
            self.selected,
        );
        for (i, cell) in self.cells.iter().enumerate() {
            out.push_str(if i == 5 {
                "<td class=\"fate\">"
            } else {
                "<td>"
            });
            escape_into(cell, out);
            out.push_str("</td>");
        }
        out.push_str("</tr>");
    }
}

/// What the producer was told of a record, in words.
pub fn told_text(lang: Lang, told: Told) -> String {
    match told {
        Told::Nothing => tr(lang, T::ToldNothing).to_string(),
        Told::Acked { offset: Some(o) } => trf(lang, T::ToldAckedAt, &[&o.to_string()]),
        Told::Acked { offset: None } => tr(lang, T::ToldAckedNoOffset).to_string(),
        Told::Failed { error } => trf(lang, T::ToldFailed, &[&error.to_string()]),
    }
}

/// The offsets a record landed at (`3, 7`), or `—` when it is in no log.
pub fn offsets_text(offsets: &[u64]) -> String {
    if offsets.is_empty() {
        return "—".to_string();
    }
    let o: Vec<String> = offsets.iter().map(u64::to_string).collect();
    o.join(", ")
}

/// Appends `text` to `out` with the characters that mean something in markup escaped.
pub fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// The words for a record's fate.
pub fn fate_text(fate: Fate) -> T {
    match fate {
        Fate::LostAcknowledged => T::FateLostAcknowledged,
        Fate::Skipped => T::FateSkipped,
        Fate::DuplicateInLog => T::FateDuplicateInLog,
        Fate::ProcessedTwice => T::FateProcessedTwice,
        Fate::Failed => T::FateFailed,
        Fate::NotWritten => T::FateNotWritten,
        Fate::Pending => T::FatePending,
        Fate::ExactlyOnce => T::FateExactlyOnce,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(record: u32, fate: Fate) -> LedgerLine {
        LedgerLine {
            record,
            partition: 2,
            offsets: vec![3, 5],
            told: Told::Acked { offset: Some(3) },
            app_sends: 1,
            attempts: 2,
            delivered: 2,
            processed: 2,
            fate,
        }
    }

    #[test]
    fn a_row_is_drawn_as_the_markup_yew_drew_with_its_texts_escaped() {
        let row = RowCells::new(4, &line(7, Fate::ProcessedTwice), Lang::En, true);
        let mut markup = String::new();
        row.push_markup(&mut markup);
        assert_eq!(
            markup,
            "<tr class=\"fate-duplicate is-selected\" data-record=\"7\" \
             data-fate=\"ProcessedTwice\" aria-rowindex=\"6\"><th scope=\"row\">\
             <button class=\"btn-link\" data-record=\"7\" aria-pressed=\"true\">m7</button></th>\
             <td>p2 / 3, 5</td><td>ok @3</td><td>1 / 2</td><td>2</td><td>2</td>\
             <td class=\"fate\">processed twice</td></tr>"
        );
        let mut escaped = String::new();
        escape_into("a<b & \"c\" 'd'>", &mut escaped);
        assert_eq!(escaped, "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
    }

    #[test]
    fn rows_differ_only_where_the_record_changed() {
        let a = RowCells::new(0, &line(1, Fate::Pending), Lang::En, false);
        let b = RowCells::new(0, &line(1, Fate::ExactlyOnce), Lang::En, false);
        assert_eq!(a.record, b.record);
        assert_ne!(a, b);
        assert_eq!(a.cells[..5], b.cells[..5]);
        assert_ne!(a.cells[5], b.cells[5]);
        assert_eq!(b.class(), "fate-ok");
        assert_eq!(a.fate_name(), "Pending");
        assert_eq!(a.row_index(), "2");
    }
}
