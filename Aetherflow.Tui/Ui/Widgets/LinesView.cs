using System.Text.RegularExpressions;
using Terminal.Gui.Drawing;
using Terminal.Gui.ViewBase;

namespace Aetherflow.Tui.Ui.Widgets;

/// <summary>
/// Scrollable coloured text: lines wrapped to the view's width, filter matches highlighted, and a follow mode that
/// keeps the newest line in view (the log stream). Scrolling up leaves follow mode; <see cref="Bottom"/> re-enters it.
/// </summary>
internal sealed class LinesView : DrawnView
{
    private readonly Theme theme;
    private readonly List<StyledLine> lines = [];
    private readonly List<IReadOnlyList<Segment>> rows = [];
    private int wrappedWidth = -1;
    private int wrappedLines;
    private Regex? highlight;
    private int offset;
    private bool follow;
    private string emptyText = string.Empty;

    public LinesView(Theme theme)
    {
        this.theme = theme;
        Width = Dim.Fill();
        Height = Dim.Fill();
    }

    /// <summary>Raised when the scroll position or follow mode changed (for a percentage or a <c>[follow]</c> badge).</summary>
    public event EventHandler? Scrolled;

    /// <summary>The most lines kept; older lines are dropped first.</summary>
    public int MaxLines { get; init; } = int.MaxValue;

    public int LineCount => lines.Count;

    /// <summary>Keeps the last line in view as lines are added.</summary>
    public bool Follow
    {
        get => follow;
        set
        {
            if (follow != value)
            {
                follow = value;
                SetNeedsDraw();
                Scrolled?.Invoke(this, EventArgs.Empty);
            }
        }
    }

    public Regex? Highlight
    {
        get => highlight;
        set
        {
            highlight = value;
            Invalidate();
        }
    }

    /// <summary>Shown when there are no lines.</summary>
    public string EmptyText
    {
        get => emptyText;
        set
        {
            emptyText = value;
            SetNeedsDraw();
        }
    }

    /// <summary>How far down the text the view is, 0–100.</summary>
    public int Percent
    {
        get
        {
            int max = MaxOffset();
            return max == 0 ? 100 : (int)Math.Round(100.0 * Top / max);
        }
    }

    private int Height1 => Math.Max(1, Viewport.Height);

    private int Top => follow ? MaxOffset() : Math.Min(offset, MaxOffset());

    /// <summary>Replaces the text, keeping the scroll position where it can.</summary>
    public void SetLines(IEnumerable<StyledLine> next)
    {
        lines.Clear();
        lines.AddRange(next);
        Trim();
        Invalidate();
    }

    /// <summary>Adds lines at the end.</summary>
    public void Append(IReadOnlyCollection<StyledLine> more)
    {
        if (more.Count == 0)
        {
            return;
        }

        lines.AddRange(more);
        if (Trim())
        {
            Invalidate();
        }

        SetNeedsDraw();
        Scrolled?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>Scrolls by <paramref name="delta"/> rows; scrolling up stops following.</summary>
    public void ScrollBy(int delta)
    {
        int current = Top;
        if (delta < 0)
        {
            follow = false;
        }

        offset = Math.Clamp(current + delta, 0, MaxOffset());
        SetNeedsDraw();
        Scrolled?.Invoke(this, EventArgs.Empty);
    }

    public void Page(int direction) => ScrollBy(direction * Math.Max(1, Height1 - 1));

    /// <summary>Jumps to the first line and stops following.</summary>
    public void ScrollToTop()
    {
        follow = false;
        offset = 0;
        SetNeedsDraw();
        Scrolled?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>Jumps to the last line; with <paramref name="andFollow"/> keeps following new lines.</summary>
    public void Bottom(bool andFollow)
    {
        offset = MaxOffset();
        follow = andFollow;
        SetNeedsDraw();
        Scrolled?.Invoke(this, EventArgs.Empty);
    }

    // Every cell of the viewport is drawn below (the text, then blanks to the edge), so Terminal.Gui's clear of the
    // whole viewport first would write most cells twice (an eighth of a log frame on a 120×40 terminal).
    protected override bool OnClearingViewport() => true;

    protected override bool OnDrawingContent(DrawContext? context)
    {
        int width = Viewport.Width;
        int height = Viewport.Height;
        if (lines.Count == 0)
        {
            Blank(0, DrawSegments(0, 0, [new Segment(emptyText, theme.Dim)], width), width, 1);
            Blank(1, 0, width, height - 1);
            return true;
        }

        Wrap(width);
        int top = Top;
        int row = 0;
        for (; row < height && top + row < rows.Count; row++)
        {
            Blank(row, DrawSegments(row, 0, rows[top + row], width), width, 1);
        }

        Blank(row, 0, width, height - row);
        return true;
    }

    // Spaces in the normal colours from column to the edge, on rows [row, row + height).
    private void Blank(int row, int column, int width, int height)
    {
        Terminal.Gui.Drawing.Attribute normal = GetAttributeForRole(VisualRole.Normal);
        for (int y = row; y < row + height; y++)
        {
            Fill(y, column, width - column, normal);
        }
    }

    private int MaxOffset()
    {
        Wrap(Viewport.Width);
        return Math.Max(0, rows.Count - Height1);
    }

    private void Invalidate()
    {
        wrappedWidth = -1;
        SetNeedsDraw();
    }

    private bool Trim()
    {
        int excess = lines.Count - MaxLines;
        if (excess <= 0)
        {
            return false;
        }

        lines.RemoveRange(0, excess);
        return true;
    }

    // Wraps what is not wrapped yet; a new width or a new highlight starts over.
    private void Wrap(int width)
    {
        width = Math.Max(1, width);
        if (width != wrappedWidth)
        {
            rows.Clear();
            wrappedLines = 0;
            wrappedWidth = width;
        }

        for (; wrappedLines < lines.Count; wrappedLines++)
        {
            StyledLine line = lines[wrappedLines];
            rows.AddRange(StyledText.Wrap(StyledText.From(line.Segments, highlight, theme.Match), width, line.Indent));
        }
    }
}
