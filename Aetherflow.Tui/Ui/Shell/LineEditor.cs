using System.Globalization;
using System.Text;
using Aetherflow.Engine.Text;
using Terminal.Gui.Input;

namespace Aetherflow.Tui.Ui.Shell;

/// <summary>
/// The text being typed into a bar, with a cursor: printable keys insert, backspace/delete, ←/→, home/end, ctrl+a/e,
/// ctrl+u (clear before the cursor), ctrl+w (delete a word). Positions are in text elements, so an emoji is one step.
/// </summary>
internal sealed class LineEditor
{
    private readonly List<string> elements = [];

    /// <summary>The cursor, as an index into the text elements (0 = before the first).</summary>
    public int Cursor { get; private set; }

    public string Text => string.Concat(elements);

    /// <summary>The text before the cursor.</summary>
    public string BeforeCursor => string.Concat(elements.Take(Cursor));

    public void Set(string text)
    {
        elements.Clear();
        TextElementEnumerator e = StringInfo.GetTextElementEnumerator(text);
        while (e.MoveNext())
        {
            elements.Add((string)e.Current);
        }

        Cursor = elements.Count;
    }

    /// <summary>Inserts text at the cursor (pasted text arrives here too); control characters are dropped.</summary>
    public void Insert(string text)
    {
        string clean = TerminalText.SanitizeLine(text);
        TextElementEnumerator e = StringInfo.GetTextElementEnumerator(clean);
        while (e.MoveNext())
        {
            elements.Insert(Cursor++, (string)e.Current);
        }
    }

    /// <summary>Applies an editing key; false when the key is not an editing key.</summary>
    public bool Apply(Key key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key == Key.Backspace)
        {
            if (Cursor > 0)
            {
                elements.RemoveAt(--Cursor);
            }
        }
        else if (key == Key.Delete || key == Key.DeleteChar || key == Key.D.WithCtrl)
        {
            if (Cursor < elements.Count)
            {
                elements.RemoveAt(Cursor);
            }
        }
        else if (key == Key.CursorLeft)
        {
            Cursor = Math.Max(0, Cursor - 1);
        }
        else if (key == Key.CursorRight)
        {
            Cursor = Math.Min(elements.Count, Cursor + 1);
        }
        else if (key == Key.Home || key == Key.A.WithCtrl)
        {
            Cursor = 0;
        }
        else if (key == Key.End || key == Key.E.WithCtrl)
        {
            Cursor = elements.Count;
        }
        else if (key == Key.U.WithCtrl)
        {
            elements.RemoveRange(0, Cursor);
            Cursor = 0;
        }
        else if (key == Key.W.WithCtrl)
        {
            DeleteWord();
        }
        else if (!key.IsCtrl && !key.IsAlt && key.TryGetPrintableRune(out Rune rune))
        {
            Insert(rune.ToString());
        }
        else
        {
            return false;
        }

        return true;
    }

    private void DeleteWord()
    {
        int start = Cursor;
        while (start > 0 && elements[start - 1] == " ")
        {
            start--;
        }

        while (start > 0 && elements[start - 1] != " ")
        {
            start--;
        }

        elements.RemoveRange(start, Cursor - start);
        Cursor = start;
    }
}
