//! The named capture groups of a regular expression, read from its syntax tree without compiling
//! it. Shared by the loader (user rule files) and `build.rs` (built-in ones), so both check
//! templates the same way; it depends on nothing but `regex-syntax`.

use regex_syntax::ast::{Ast, GroupKind, parse::Parser};

/// The names of the capture groups in `prepared` (an expression already in the rule dialect's
/// compiled form), in order.
pub fn group_names(prepared: &str) -> Result<Vec<String>, String> {
    fn walk(ast: &Ast, names: &mut Vec<String>) {
        match ast {
            Ast::Group(group) => {
                if let GroupKind::CaptureName { name, .. } = &group.kind {
                    names.push(name.name.clone());
                }
                walk(&group.ast, names);
            }
            Ast::Repetition(repetition) => walk(&repetition.ast, names),
            Ast::Concat(concat) => concat.asts.iter().for_each(|a| walk(a, names)),
            Ast::Alternation(alternation) => alternation.asts.iter().for_each(|a| walk(a, names)),
            _ => {}
        }
    }
    let ast = Parser::new()
        .parse(prepared)
        .map_err(|error| error.to_string())?;
    let mut names = Vec::new();
    walk(&ast, &mut names);
    Ok(names)
}
