//! The order WordprocessingML's schema (ECMA-376 Part 1, `wml.xsd`) gives the children of the
//! property elements. docx-rs writes some of them in its own order (`w:rPr` first in `w:pPr`, `w:sz`
//! before `w:rFonts`, footer references last in `w:sectPr`); LibreOffice reads any order, Word may
//! call the file corrupt. `ordered` puts them in the schema's order and leaves every other byte as
//! it was.

use anyhow::{Context, Result};
use roxmltree::{Document, Node};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// Each property element and its children's sequence, as `wml.xsd` declares it.
const SEQUENCES: &[(&str, &str)] = &[
    (
        "pPr",
        "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers \
         pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE \
         autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents \
         suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle \
         rPr sectPr pPrChange",
    ),
    (
        "rPr",
        "ins del moveFrom moveTo rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline \
         shadow emboss imprint noProof snapToGrid vanish webHidden color spacing w kern position sz \
         szCs highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout \
         specVanish oMath rPrChange",
    ),
    (
        "sectPr",
        "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders \
         lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter \
         docGrid printerSettings sectPrChange",
    ),
    (
        "tblPr",
        "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc \
         tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption \
         tblDescription tblPrChange",
    ),
    (
        "tcPr",
        "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText \
         vAlign hideMark headers cellIns cellDel cellMerge tcPrChange",
    ),
    (
        "tblBorders",
        "top left start bottom right end insideH insideV",
    ),
    (
        "tcBorders",
        "top left start bottom right end insideH insideV tl2br tr2bl",
    ),
    ("tblCellMar", "top left start bottom right end"),
    ("pBdr", "top left bottom right between bar"),
    (
        "style",
        "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed \
         qFormat locked personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr \
         tblStylePr",
    ),
    (
        "settings",
        "writeProtection view zoom removePersonalInformation removeDateAndTime \
         doNotDisplayPageBoundaries displayBackgroundShape printPostScriptOverText \
         printFractionalCharacterWidth printFormsData embedTrueTypeFonts embedSystemFonts \
         saveSubsetFonts saveFormsData mirrorMargins alignBordersAndEdges \
         bordersDoNotSurroundHeader bordersDoNotSurroundFooter gutterAtTop hideSpellingErrors \
         hideGrammaticalErrors activeWritingStyle proofState formsDesign attachedTemplate \
         linkStyles stylePaneFormatFilter stylePaneSortMethod documentType mailMerge revisionView \
         trackRevisions doNotTrackMoves doNotTrackFormatting documentProtection \
         autoFormatOverride styleLockTheme styleLockQFSet defaultTabStop autoHyphenation \
         consecutiveHyphenLimit hyphenationZone doNotHyphenateCaps showEnvelope summaryLength \
         clickAndTypeStyle defaultTableStyle evenAndOddHeaders bookFoldRevPrinting \
         bookFoldPrinting bookFoldPrintingSheets drawingGridHorizontalSpacing \
         drawingGridVerticalSpacing displayHorizontalDrawingGridEvery \
         displayVerticalDrawingGridEvery doNotUseMarginsForDrawingGridOrigin \
         drawingGridHorizontalOrigin drawingGridVerticalOrigin doNotShadeFormData \
         noPunctuationKerning characterSpacingControl printTwoOnOne strictFirstAndLastChars \
         noLineBreaksAfter noLineBreaksBefore savePreviewPicture doNotValidateAgainstSchema \
         saveInvalidXml ignoreMixedContent alwaysShowPlaceholderText doNotDemarcateInvalidXml \
         saveXmlDataOnly useXSLTWhenSaving saveThroughXslt showXMLTags alwaysMergeEmptyNamespace \
         updateFields hdrShapeDefaults footnotePr endnotePr compat docVars rsids mathPr \
         attachedSchema themeFontLang clrSchemeMapping doNotIncludeSubdocsInStats \
         doNotAutoCompressPictures forceUpgrade captions readModeInkLockDown smartTagType \
         schemaLibrary shapeDefaults doNotEmbedSmartTags decimalSymbol listSeparator",
    ),
];

/// The sequence the children of `node` follow, when it is one of the property elements.
fn sequence(node: Node) -> Option<&'static str> {
    let name = node.tag_name();
    if name.namespace() != Some(W) {
        return None;
    }
    SEQUENCES
        .iter()
        .find(|(parent, _)| *parent == name.name())
        .map(|(_, seq)| *seq)
}

/// Where `child` stands in `seq`; what the schema does not list goes last, in its own order.
fn rank(seq: &str, child: Node) -> usize {
    let name = child.tag_name().name();
    seq.split_whitespace()
        .position(|s| s == name)
        .unwrap_or(usize::MAX)
}

/// `xml` with the children of every property element in the schema's order, and `w:gridCol`
/// without the `w:type` attribute docx-rs gives it (the schema has none).
pub fn ordered(xml: &str) -> Result<String> {
    let doc = Document::parse(xml).context("docx-rs wrote XML that does not parse")?;
    let root = doc.root_element();
    let mut out = String::with_capacity(xml.len());
    out.push_str(&xml[..root.range().start]);
    emit(xml, root, &mut out);
    out.push_str(&xml[root.range().end..]);
    Ok(out)
}

fn emit(src: &str, node: Node, out: &mut String) {
    let range = node.range();
    if node.is_element() && node.has_tag_name((W, "gridCol")) {
        let width = node.attribute((W, "w")).unwrap_or("0");
        out.push_str(&format!("<w:gridCol w:w=\"{width}\" />"));
        return;
    }
    let (Some(first), Some(last)) = (node.first_child(), node.last_child()) else {
        out.push_str(&src[range]);
        return;
    };
    out.push_str(&src[range.start..first.range().start]);
    match sequence(node) {
        Some(seq) => {
            // Only elements: docx-rs writes no text or spaces between properties.
            let mut children: Vec<Node> = node.children().filter(Node::is_element).collect();
            children.sort_by_key(|c| rank(seq, *c));
            for child in children {
                emit(src, child, out);
            }
        }
        None => {
            let mut at = first.range().start;
            for child in node.children() {
                out.push_str(&src[at..child.range().start]);
                emit(src, child, out);
                at = child.range().end;
            }
        }
    }
    out.push_str(&src[last.range().end..range.end]);
}

#[cfg(test)]
mod tests {
    use super::ordered;

    #[test]
    fn properties_follow_the_schema_and_nothing_else_moves() {
        let ns = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;
        let table = [
            (
                "<w:pPr><w:rPr /><w:jc w:val=\"center\" /><w:ind w:left=\"1\" /><w:snapToGrid w:val=\"false\" /></w:pPr>",
                "<w:pPr><w:snapToGrid w:val=\"false\" /><w:ind w:left=\"1\" /><w:jc w:val=\"center\" /><w:rPr /></w:pPr>",
            ),
            (
                "<w:r><w:rPr><w:sz w:val=\"32\" /><w:rFonts w:eastAsia=\"仿宋\" /><w:spacing w:val=\"-5\" /></w:rPr><w:t>A &amp; B</w:t></w:r>",
                "<w:r><w:rPr><w:rFonts w:eastAsia=\"仿宋\" /><w:spacing w:val=\"-5\" /><w:sz w:val=\"32\" /></w:rPr><w:t>A &amp; B</w:t></w:r>",
            ),
            (
                "<w:sectPr><w:pgSz w:w=\"1\" /><w:docGrid /><w:footerReference w:type=\"even\" /></w:sectPr>",
                "<w:sectPr><w:footerReference w:type=\"even\" /><w:pgSz w:w=\"1\" /><w:docGrid /></w:sectPr>",
            ),
            (
                "<w:tblPr><w:tblW w:w=\"9\" /><w:tblpPr /></w:tblPr><w:tblGrid><w:gridCol w:w=\"9\" w:type=\"dxa\" /></w:tblGrid>",
                "<w:tblPr><w:tblpPr /><w:tblW w:w=\"9\" /></w:tblPr><w:tblGrid><w:gridCol w:w=\"9\" /></w:tblGrid>",
            ),
            ("<w:p>text <w:r/> more</w:p>", "<w:p>text <w:r/> more</w:p>"),
        ];
        for (input, want) in table {
            let doc = |body: &str| format!("<?xml version=\"1.0\"?><w:body {ns}>{body}</w:body>");
            assert_eq!(ordered(&doc(input)).unwrap(), doc(want), "{input}");
        }
    }
}
