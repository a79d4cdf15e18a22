//! What every reader produces: a grid of raw rows and loose lines, in document order. A leaf
//! below the readers (`grid.rs` for text, the workbook and markup readers) and the assembler.

use quanze_model::SourceLine;

/// A row of cells with the line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawRow {
    pub cells: Vec<String>,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    Row(RawRow),
    Loose(SourceLine),
}

#[derive(Debug)]
pub(crate) struct Grid {
    pub layout: &'static str,
    pub blocks: Vec<Block>,
}
