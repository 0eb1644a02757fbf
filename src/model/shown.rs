//! What a check shows of its facts in a support bundle beyond its findings: a table under a
//! heading of its own (the host CLIs as each listener finds them). The check fills the rows from
//! its typed facts; the bundle renderer lays them out and makes every cell safe to print.

/// One table: its heading, its column names, and a row of cells per thing shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub heading: &'static str,
    pub columns: &'static [&'static str],
    pub rows: Vec<Vec<String>>,
}

/// The tables the checks show, in the registry's order.
#[derive(Debug, Default)]
pub struct Shown(pub Vec<Table>);

impl Shown {
    /// Add a table; one with no rows is not shown.
    pub fn table(&mut self, t: Table) {
        if !t.rows.is_empty() {
            self.0.push(t);
        }
    }
}
