// The code editor of a box: CodeMirror 6 with Python highlighting, line numbers, auto-indent,
// undo history, Mod-Enter / Shift-Enter to run, and Tab to indent (press Esc, then Tab, to move
// focus out of the editor: CodeMirror's tab-focus mode, for keyboard users).
//
// Built as its own small bundle (editor.js in the site), loaded only when a reader shows
// interest in a box; it registers itself as `window.CourseEditor`.

import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import {
  bracketMatching,
  HighlightStyle,
  indentOnInput,
  indentUnit,
  syntaxHighlighting,
} from "@codemirror/language";
import { EditorState, Prec } from "@codemirror/state";
import {
  drawSelection,
  EditorView,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import { tags as t } from "@lezer/highlight";

// Colours from Material's own code-highlighting variables, so both colour schemes just work.
const highlightStyle = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword, t.operatorKeyword, t.definitionKeyword, t.moduleKeyword], color: "var(--md-code-hl-keyword-color)" },
  { tag: [t.string, t.special(t.string), t.docString], color: "var(--md-code-hl-string-color)" },
  { tag: [t.number, t.bool, t.null, t.atom], color: "var(--md-code-hl-number-color)" },
  { tag: [t.comment, t.lineComment], color: "var(--md-code-hl-comment-color)", fontStyle: "italic" },
  { tag: [t.function(t.variableName), t.function(t.propertyName), t.definition(t.function(t.variableName))], color: "var(--md-code-hl-function-color)" },
  { tag: [t.className, t.definition(t.className)], color: "var(--md-code-hl-constant-color)" },
  { tag: [t.operator, t.punctuation, t.bracket], color: "var(--md-code-hl-punctuation-color)" },
  { tag: [t.self, t.standard(t.variableName)], color: "var(--md-code-hl-special-color)" },
]);

const theme = EditorView.theme({
  "&": { color: "var(--md-code-fg-color)", backgroundColor: "transparent" },
  ".cm-content": { caretColor: "var(--md-code-fg-color)", fontFamily: "var(--md-code-font-family)" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--md-code-fg-color)" },
  "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground":
    { backgroundColor: "var(--md-accent-fg-color--transparent)" },
  ".cm-gutters": {
    backgroundColor: "transparent",
    // --light, not --lighter: line numbers are text, and need a 4.5:1 contrast (WCAG AA)
    color: "var(--md-default-fg-color--light)",
    border: "none",
  },
  ".cm-activeLineGutter": { backgroundColor: "transparent", color: "var(--md-default-fg-color--light)" },
  ".cm-matchingBracket": { backgroundColor: "var(--md-code-hl-color)" },
});

/**
 * Create an editor in `parent`. Returns {getCode, setCode, focus, destroy, view}.
 * `onChange(code)` is called after each edit, `onRun()` on Mod-Enter or Shift-Enter.
 */
function createEditor({ parent, doc, label, onChange, onRun }) {
  const run = () => {
    onRun();
    return true;
  };
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        Prec.highest(keymap.of([{ key: "Mod-Enter", run }, { key: "Shift-Enter", run }])),
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightSpecialChars(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        python(),
        syntaxHighlighting(highlightStyle),
        indentUnit.of("    "),
        EditorState.tabSize.of(4),
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorView.contentAttributes.of({ "aria-label": label }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange(update.state.doc.toString());
        }),
        theme,
      ],
    }),
  });
  return {
    view,
    getCode: () => view.state.doc.toString(),
    setCode(code) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code } });
    },
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}

window.CourseEditor = { createEditor };
